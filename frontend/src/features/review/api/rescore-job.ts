import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '@/lib/api-client';
import { rescoredSchema, type RescoreRequest, type Rescored } from '@/types/api';

/** POST /review/jobs/{job_id}/rescore: the pipeline's checks with pending corrections (nothing saved). */
export function rescoreJob(jobId: string, body: RescoreRequest, signal?: AbortSignal): Promise<Rescored> {
  return api.post(`/review/jobs/${encodeURIComponent(jobId)}/rescore`, body, rescoredSchema, signal);
}

/** `value`, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * The checks as the server would run them with `body`, re-asked 400 ms after the
 * corrections stop changing. The previous answer stays on screen meanwhile.
 */
export function useRescore(jobId: string, body: RescoreRequest | null) {
  const key = body === null ? null : JSON.stringify(body);
  const settled = useDebounced(key, 400);
  return useQuery({
    queryKey: ['rescore', jobId, settled],
    queryFn: ({ signal }) => rescoreJob(jobId, JSON.parse(settled ?? '{}') as RescoreRequest, signal),
    enabled: settled !== null,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
  });
}
