import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '@/lib/api-client';
import { webhooksKey } from './get-webhooks';

/** DELETE /webhooks/{id}: 204, nothing more is delivered to it. */
export function useDeleteWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (webhookId: string) => api.delete(`/webhooks/${encodeURIComponent(webhookId)}`, z.null()),
    onSuccess: () => client.invalidateQueries({ queryKey: webhooksKey }),
  });
}
