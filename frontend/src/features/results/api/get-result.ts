import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { extractionResultSchema, type ExtractionResult } from '@/types/api';

/** GET /jobs/{job_id}/result */
export function getResult(jobId: string, signal?: AbortSignal): Promise<ExtractionResult> {
  return api.get(`/jobs/${encodeURIComponent(jobId)}/result`, extractionResultSchema, undefined, signal);
}

/** Only asked for once the job has a result (`enabled`), so no 409 "not ready" noise. */
export function useResult(jobId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['result', jobId] as const,
    queryFn: ({ signal }) => getResult(jobId, signal),
    enabled,
    staleTime: 60_000,
  });
}
