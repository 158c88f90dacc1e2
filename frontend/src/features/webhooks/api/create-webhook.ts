import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { webhookCreatedSchema, type CreateWebhookRequest } from '@/types/api';
import { webhooksKey } from './get-webhooks';

/** POST /webhooks: the answer carries the signing secret, shown this once. */
export function useCreateWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: CreateWebhookRequest) => api.post('/webhooks', request, webhookCreatedSchema),
    onSuccess: () => client.invalidateQueries({ queryKey: webhooksKey }),
  });
}
