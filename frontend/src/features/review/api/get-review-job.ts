import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '@/lib/api-client';
import { auditEventSchema, extractionResultSchema, jobSchema } from '@/types/api';

const documentLinkSchema = z.object({
  url: z.url(),
  expires_at: z.string().optional(),
  filename: z.string().optional(),
  content_type: z.string(),
});

/**
 * services/api/openapi.yaml gives the document as `document: {url, content_type, ...}`;
 * the first draft of the contract said `document_url` + `document_content_type`. Both
 * are read, and turned into one shape.
 */
export const reviewJobSchema = z
  .object({
    job: jobSchema,
    result: extractionResultSchema.nullable(),
    // A list of audit records (or the paginated {items} shape of GET /jobs/{id}/audit).
    audit: z
      .union([z.array(auditEventSchema), z.object({ items: z.array(auditEventSchema) }).transform((p) => p.items)])
      .default([]),
    document: documentLinkSchema.nullable().optional(),
    document_url: z.url().nullable().optional(),
    document_content_type: z.string().nullable().optional(),
  })
  .transform(({ document, document_url, document_content_type, ...rest }) => ({
    ...rest,
    documentUrl: document?.url ?? document_url ?? null,
    documentContentType: document?.content_type ?? document_content_type ?? rest.job.content_type,
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
