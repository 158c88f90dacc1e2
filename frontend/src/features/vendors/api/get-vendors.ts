import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { vendorPageSchema, type VendorPage } from '@/types/api';

/** GET /vendors?limit=&cursor=: the vendors of the caller's tenant (from the token) */
export function getVendors(cursor?: string, signal?: AbortSignal): Promise<VendorPage> {
  return api.get('/vendors', vendorPageSchema, { limit: 25, cursor }, signal);
}

export const vendorsKey = ['vendors'] as const;

export function useVendors() {
  return useInfiniteQuery({
    queryKey: vendorsKey,
    queryFn: ({ pageParam, signal }) => getVendors(pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}
