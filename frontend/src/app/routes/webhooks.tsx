import { WebhooksAdmin } from '@/features/webhooks/components/WebhooksAdmin';

export function WebhooksRoute() {
  return (
    <>
      <h1>Webhooks</h1>
      <WebhooksAdmin />
    </>
  );
}
