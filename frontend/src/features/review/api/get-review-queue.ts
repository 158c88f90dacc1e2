import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { jobPageSchema, type JobPage } from '@/types/api';

/** GET /review/jobs?limit=&cursor= (NEEDS_REVIEW, newest first) */
export function getReviewQueue(cursor?: string, limit = 50, signal?: AbortSignal): Promise<JobPage> {
  return api.get('/review/jobs', jobPageSchema, { limit, cursor }, signal);
}

export const reviewQueueKey = ['review-queue'] as const;

/** The queue refreshes every 20 s: new invoices arrive while a clerk works. */
export function useReviewQueue() {
  return useInfiniteQuery({
    queryKey: reviewQueueKey,
    queryFn: ({ pageParam, signal }) => getReviewQueue(pageParam, 50, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: 20_000,
  });
}
