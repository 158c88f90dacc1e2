import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { jobPageSchema, type JobPage } from '@/types/api';

/** How the queue is sorted, filtered and searched: GET /review/jobs's parameters, done by the server. */
export interface QueueFilter {
  sort?: string;
  reason?: string;
  vendor?: string;
  min_total?: string;
  max_total?: string;
  due_before?: string;
  q?: string;
}

/** GET /review/jobs?limit=&cursor=&sort=&... (NEEDS_REVIEW) */
export function getReviewQueue(filter: QueueFilter, cursor?: string, limit = 50, signal?: AbortSignal): Promise<JobPage> {
  return api.get('/review/jobs', jobPageSchema, { limit, cursor, ...filter }, signal);
}

export const reviewQueueKey = ['review-queue'] as const;

/** The queue refreshes every 20 s: new invoices arrive while a clerk works. */
export function useReviewQueue(filter: QueueFilter = {}) {
  return useInfiniteQuery({
    queryKey: [...reviewQueueKey, filter],
    queryFn: ({ pageParam, signal }) => getReviewQueue(filter, pageParam, 50, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: 20_000,
  });
}
