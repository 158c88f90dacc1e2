import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { statsSchema, type Stats } from '@/types/api';

/** A range of creation days: `from` included, `to` excluded (ISO dates, UTC), as the API takes it. */
export type DayRange = { from: string; to: string };

/** GET /stats?from=&to=: the tenant's figures for the invoices received in the range */
export function getStats(range: DayRange, signal?: AbortSignal): Promise<Stats> {
  return api.get('/stats', statsSchema, range, signal);
}

export const statsKey = (range: DayRange) => ['stats', range.from, range.to] as const;

export function useStats(range: DayRange) {
  return useQuery({
    queryKey: statsKey(range),
    queryFn: ({ signal }) => getStats(range, signal),
    // Keep the last figures on screen while another range loads.
    placeholderData: keepPreviousData,
  });
}
