import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '@/lib/api-client';
import { createBackoff } from '@/lib/polling';
import { jobSchema, type Job } from '@/types/api';
import { isSettledStatus } from '@/types/domain';

/** GET /jobs/{job_id} */
export function getJob(jobId: string, signal?: AbortSignal): Promise<Job> {
  return api.get(`/jobs/${encodeURIComponent(jobId)}`, jobSchema, undefined, signal);
}

export const jobKey = (jobId: string) => ['job', jobId] as const;

/** One job, polled with backoff until it settles (final, or waiting for review). */
export function useJob(jobId: string) {
  const [backoff] = useState(createBackoff);
  return useQuery({
    queryKey: jobKey(jobId),
    queryFn: ({ signal }) => getJob(jobId, signal),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      if (query.state.status === 'error') return false;
      return backoff({
        fingerprint: status ?? '',
        fetchedAt: query.state.dataUpdatedAt,
        done: status !== undefined && isSettledStatus(status),
      });
    },
  });
}
