import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { vendorDetailSchema, type VendorDetail } from '@/types/api';

/** GET /vendors/{vendor_id}: one vendor of the caller's tenant and the first page of its invoices */
export function getVendor(vendorId: string, signal?: AbortSignal): Promise<VendorDetail> {
  return api.get(`/vendors/${encodeURIComponent(vendorId)}`, vendorDetailSchema, { limit: 100 }, signal);
}

export const vendorKey = (vendorId: string) => ['vendor', vendorId] as const;

export function useVendor(vendorId: string) {
  return useQuery({
    queryKey: vendorKey(vendorId),
    queryFn: ({ signal }) => getVendor(vendorId, signal),
  });
}
