import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { deliveryPageSchema } from '@/types/api';

export const deliveriesKey = (webhookId: string) => ['webhooks', webhookId, 'deliveries'] as const;

/** GET /webhooks/{id}/deliveries: the delivery log, newest first (refreshed while open). */
export function useDeliveries(webhookId: string) {
  return useQuery({
    queryKey: deliveriesKey(webhookId),
    queryFn: ({ signal }) =>
      api.get(`/webhooks/${encodeURIComponent(webhookId)}/deliveries`, deliveryPageSchema, { limit: 50 }, signal),
    refetchInterval: 5000,
  });
}
