import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '@/lib/api-client';
import { createBackoff } from '@/lib/polling';
import { jobPageSchema, type JobPage, type JobStatus } from '@/types/api';
import { isSettledStatus } from '@/types/domain';

export interface JobsFilter {
  status?: JobStatus;
  limit?: number;
}

/** GET /jobs?status=&limit=&cursor=: the caller's tenant only. */
export function getJobs(filter: JobsFilter, cursor?: string, signal?: AbortSignal): Promise<JobPage> {
  return api.get(
    '/jobs',
    jobPageSchema,
    { status: filter.status, limit: filter.limit ?? 25, cursor },
    signal,
  );
}

export const jobsKey = (filter: JobsFilter) => ['jobs', filter] as const;

/**
 * The jobs list, polled with backoff while any job on it can still change by itself.
 */
export function useJobs(filter: JobsFilter) {
  const [backoff] = useState(createBackoff);
  return useInfiniteQuery({
    queryKey: jobsKey(filter),
    queryFn: ({ pageParam, signal }) => getJobs(filter, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: (query) => {
      const jobs = query.state.data?.pages.flatMap((p) => p.items) ?? [];
      const moving = jobs.some((job) => !isSettledStatus(job.status));
      return backoff({
        fingerprint: jobs.map((job) => `${job.job_id}:${job.status}`).join(','),
        fetchedAt: query.state.dataUpdatedAt,
        done: !moving,
      });
    },
  });
}
