import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { webhookListSchema } from '@/types/api';

export const webhooksKey = ['webhooks'] as const;

/** GET /webhooks: the company's endpoints (admins; never their secrets). */
export function useWebhooks() {
  return useQuery({
    queryKey: webhooksKey,
    queryFn: ({ signal }) => api.get('/webhooks', webhookListSchema, undefined, signal),
  });
}
