import { useState, type SyntheticEvent } from 'react';
import { ErrorMessage, Loading } from '@/components/Feedback';
import { formatDateTime } from '@/lib/format';
import type { Webhook } from '@/types/api';
import { useCreateWebhook } from '../api/create-webhook';
import { useDeleteWebhook } from '../api/delete-webhook';
import { useDeliveries } from '../api/get-deliveries';
import { useWebhooks } from '../api/get-webhooks';
import { useRetryDelivery } from '../api/retry-delivery';
import { useRotateWebhookSecret } from '../api/rotate-webhook-secret';

const EVENT_TYPES = ['invoice.approved', 'invoice.completed', 'invoice.rejected', 'invoice.failed'] as const;
type EventType = (typeof EVENT_TYPES)[number];

/** A secret the API shows once: shown here until dismissed, never stored. */
function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <div className="panel" role="status">
      <p>
        Signing secret (shown only now; verify each delivery with it, per Standard Webhooks):{' '}
        <code>{secret}</code>
      </p>
      <button type="button" className="button" onClick={onDone}>
        I have stored it
      </button>
    </div>
  );
}

function NewWebhook({ onSecret }: { onSecret: (secret: string) => void }) {
  const create = useCreateWebhook();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<EventType[]>(['invoice.approved']);
  const toggle = (type: EventType) =>
    setEvents((chosen) => (chosen.includes(type) ? chosen.filter((t) => t !== type) : [...chosen, type]));
  const submit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate(
      { url: url.trim(), events },
      {
        onSuccess: (created) => {
          setUrl('');
          onSecret(created.secret);
        },
      },
    );
  };
  return (
    <form onSubmit={submit} aria-label="New webhook" className="filters">
      <label>
        URL{' '}
        <input type="url" required value={url} placeholder="https://erp.example.com/hooks" onChange={(e) => setUrl(e.target.value)} />
      </label>
      <fieldset>
        <legend>Events</legend>
        {EVENT_TYPES.map((type) => (
          <label key={type}>
            <input type="checkbox" checked={events.includes(type)} onChange={() => toggle(type)} /> {type}
          </label>
        ))}
      </fieldset>
      <button type="submit" className="button" disabled={create.isPending || events.length === 0}>
        Add webhook
      </button>
      {create.isError && <ErrorMessage error={create.error} title="The webhook was not added." />}
    </form>
  );
}

function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const deliveries = useDeliveries(webhook.webhook_id);
  const retry = useRetryDelivery(webhook.webhook_id);
  if (deliveries.isPending) return <Loading label="Loading deliveries…" />;
  if (deliveries.isError) return <ErrorMessage error={deliveries.error} title="Could not load the deliveries." />;
  const items = deliveries.data.items;
  if (items.length === 0) return <p className="muted">Nothing delivered yet.</p>;
  return (
    <table className="table" aria-label={`Deliveries to ${webhook.url}`}>
      <thead>
        <tr>
          <th>Event</th>
          <th>Status</th>
          <th>Attempts</th>
          <th>Last attempt</th>
          <th>Last error</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {items.map((delivery) => (
          <tr key={delivery.event_id}>
            <td>
              {delivery.event_type}
              <br />
              <span className="muted">{delivery.event_id}</span>
            </td>
            <td>{delivery.status}</td>
            <td>{delivery.attempts}</td>
            <td>{delivery.last_attempt_at ? formatDateTime(delivery.last_attempt_at) : '—'}</td>
            <td>{delivery.last_error ?? (delivery.last_status_code ? `HTTP ${delivery.last_status_code}` : '—')}</td>
            <td>
              <button type="button" className="button" disabled={retry.isPending} onClick={() => retry.mutate(delivery.event_id)}>
                Send again
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Webhook endpoints of the company and their delivery logs (admins). */
export function WebhooksAdmin() {
  const webhooks = useWebhooks();
  const remove = useDeleteWebhook();
  const rotate = useRotateWebhookSecret();
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section aria-labelledby="webhooks-heading" className="panel">
      <div className="panel__header">
        <h2 id="webhooks-heading">Webhooks</h2>
      </div>
      {secret && <SecretOnce secret={secret} onDone={() => setSecret(null)} />}
      <NewWebhook onSecret={setSecret} />
      {webhooks.isPending && <Loading label="Loading webhooks…" />}
      {webhooks.isError && <ErrorMessage error={webhooks.error} title="Could not load the webhooks." />}
      {webhooks.isSuccess && webhooks.data.items.length === 0 && <p className="muted">No webhooks yet.</p>}
      {webhooks.isSuccess &&
        webhooks.data.items.map((webhook) => (
          <article key={webhook.webhook_id} className="panel" aria-label={webhook.url}>
            <p>
              <strong>{webhook.url}</strong> <span className="muted">{webhook.events.join(', ')}</span>
            </p>
            <p className="muted">
              Added {formatDateTime(webhook.created_at)} by {webhook.created_by}
              {webhook.rotated_at ? `; secret rotated ${formatDateTime(webhook.rotated_at)}` : ''}
            </p>
            <button type="button" className="button" onClick={() => setOpen(open === webhook.webhook_id ? null : webhook.webhook_id)}>
              {open === webhook.webhook_id ? 'Hide deliveries' : 'Deliveries'}
            </button>{' '}
            <button
              type="button"
              className="button"
              disabled={rotate.isPending}
              onClick={() => rotate.mutate(webhook.webhook_id, { onSuccess: (rotated) => setSecret(rotated.secret) })}
            >
              Rotate secret
            </button>{' '}
            <button type="button" className="button" disabled={remove.isPending} onClick={() => remove.mutate(webhook.webhook_id)}>
              Delete
            </button>
            {open === webhook.webhook_id && <DeliveryLog webhook={webhook} />}
          </article>
        ))}
    </section>
  );
}
