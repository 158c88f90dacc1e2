import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { webhookSecretSchema } from '@/types/api';
import { webhooksKey } from './get-webhooks';

/** POST /webhooks/{id}/rotate: a new secret (shown once); the old one signs 24 h more. */
export function useRotateWebhookSecret() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (webhookId: string) =>
      api.post(`/webhooks/${encodeURIComponent(webhookId)}/rotate`, undefined, webhookSecretSchema),
    onSuccess: () => client.invalidateQueries({ queryKey: webhooksKey }),
  });
}
