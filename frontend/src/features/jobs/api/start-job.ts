import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '@/lib/api-client';
import { jobSchema, type Job } from '@/types/api';
import { z } from 'zod';

// The API answers with the job (or, for an upload already picked up by the S3 event,
// may answer 409): accept either a job or an empty body.
const startResponseSchema = z.union([jobSchema, z.object({}).loose(), z.null()]);

/** POST /jobs/{job_id}/start: start processing, or retry a FAILED job. */
export async function startJob(jobId: string): Promise<Job | null> {
  const body = await api.post(`/jobs/${encodeURIComponent(jobId)}/start`, {}, startResponseSchema);
  const parsed = jobSchema.safeParse(body);
  return parsed.success ? parsed.data : null;
}

/**
 * After an upload: the S3 ObjectCreated event may already have started the job, in
 * which case the API says 409 (not startable from its status). That is fine.
 */
export async function startUploadedJob(jobId: string): Promise<void> {
  try {
    await startJob(jobId);
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) return;
    throw error;
  }
}

export function useStartJob(jobId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => startJob(jobId),
    onSettled: () => client.invalidateQueries({ queryKey: ['job', jobId] }),
  });
}
