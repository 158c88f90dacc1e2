import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';
import { reviewDetailSchema } from '@/types/api';

/** `ReviewDetail` of the API, with the document link flattened for the viewer. */
export const reviewJobSchema = reviewDetailSchema.transform(({ document, ...rest }) => ({
  ...rest,
  documentUrl: document.url,
  documentContentType: document.content_type,
}));
export type ReviewJob = z.infer<typeof reviewJobSchema>;

/** GET /review/jobs/{job_id}: the job, its result, its audit trail and a short-lived document link. */
export function getReviewJob(jobId: string, signal?: AbortSignal): Promise<ReviewJob> {
  return api.get(`/review/jobs/${encodeURIComponent(jobId)}`, reviewJobSchema, undefined, signal);
}

export const reviewJobKey = (jobId: string) => ['review-job', jobId] as const;

export function useReviewJob(jobId: string) {
  return useQuery({
    queryKey: reviewJobKey(jobId),
    queryFn: ({ signal }) => getReviewJob(jobId, signal),
    // The document link is short-lived (DOWNLOAD_URL_TTL_SECONDS, 300 s): refresh well before.
    staleTime: 60_000,
    refetchOnWindowFocus: false,
  });
}
