import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { deliverySchema } from '@/types/api';
import { deliveriesKey } from './get-deliveries';

/** POST /webhooks/{id}/deliveries/{event_id}/retry: "send again" (202, an attempt is queued). */
export function useRetryDelivery(webhookId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (eventId: string) =>
      api.post(
        `/webhooks/${encodeURIComponent(webhookId)}/deliveries/${encodeURIComponent(eventId)}/retry`,
        undefined,
        deliverySchema,
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: deliveriesKey(webhookId) }),
  });
}
