import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { jobSchema, type DecisionRequest, type Job } from '@/types/api';

export type Decision = DecisionRequest['decision'];

export interface DecisionInput extends DecisionRequest {
  jobId: string;
}

/** POST /review/jobs/{job_id}/decision */
export function submitDecision({ jobId, ...body }: DecisionInput): Promise<Job> {
  return api.post(`/review/jobs/${encodeURIComponent(jobId)}/decision`, body, jobSchema);
}

export function useSubmitDecision() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: submitDecision,
    onSuccess: (job) => {
      client.setQueryData(['job', job.job_id], job);
    },
    onSettled: (_data, _error, input) =>
      Promise.all([
        client.invalidateQueries({ queryKey: ['review-queue'] }),
        client.invalidateQueries({ queryKey: ['jobs'] }),
        client.invalidateQueries({ queryKey: ['job-audit', input.jobId] }),
      ]),
  });
}
