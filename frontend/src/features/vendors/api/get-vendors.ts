import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { vendorPageSchema, type VendorPage } from '@/types/api';

/** GET /vendors?owner_id=&limit=&cursor= (the tenant is the owner until sign-in) */
export function getVendors(ownerId: string, cursor?: string, signal?: AbortSignal): Promise<VendorPage> {
  return api.get('/vendors', vendorPageSchema, { owner_id: ownerId, limit: 25, cursor }, signal);
}

export const vendorsKey = (ownerId: string) => ['vendors', ownerId] as const;

export function useVendors(ownerId: string) {
  return useInfiniteQuery({
    queryKey: vendorsKey(ownerId),
    enabled: ownerId !== '',
    queryFn: ({ pageParam, signal }) => getVendors(ownerId, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}
