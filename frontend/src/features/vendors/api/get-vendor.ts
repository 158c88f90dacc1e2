import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { vendorDetailSchema, type VendorDetail } from '@/types/api';

/** GET /vendors/{vendor_id}?owner_id= : the vendor and the first page of its invoices */
export function getVendor(ownerId: string, vendorId: string, signal?: AbortSignal): Promise<VendorDetail> {
  return api.get(`/vendors/${encodeURIComponent(vendorId)}`, vendorDetailSchema, { owner_id: ownerId, limit: 100 }, signal);
}

export const vendorKey = (ownerId: string, vendorId: string) => ['vendor', ownerId, vendorId] as const;

export function useVendor(ownerId: string, vendorId: string) {
  return useQuery({
    queryKey: vendorKey(ownerId, vendorId),
    enabled: ownerId !== '',
    queryFn: ({ signal }) => getVendor(ownerId, vendorId, signal),
  });
}
