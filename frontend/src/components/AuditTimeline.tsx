import type { AuditEvent } from '@/types/api';
import { formatDateTime } from '@/lib/format';

const EVENT_TEXT: Record<string, string> = {
  created: 'Upload registered',
  uploaded: 'File stored',
  started: 'Processing started',
  ocr_started: 'Text recognition started',
  ocr_done: 'Text recognition finished',
  routed: 'Fields checked and routed',
  corrected: 'Field corrected',
  approved: 'Approved',
  rejected: 'Rejected',
  failed: 'Failed',
  retried: 'Retried',
};

function show(value: unknown): string {
  if (Array.isArray(value)) return value.map(show).join(', ');
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A correction's changes, one per field: {field: value} maps, or a single value. */
function changesOf(event: AuditEvent): { field: string | null; before: unknown; after: unknown }[] {
  const { before, after } = event;
  if (before == null && after == null) return [];
  if (isRecord(before) || isRecord(after)) {
    const b = isRecord(before) ? before : {};
    const a = isRecord(after) ? after : {};
    return [...new Set([...Object.keys(b), ...Object.keys(a)])].map((field) => ({ field, before: b[field], after: a[field] }));
  }
  return [{ field: null, before, after }];
}

function Details({ event }: { event: AuditEvent }) {
  const changes = changesOf(event);
  const details = Object.entries(event.details ?? {}).filter(
    // The fields a correction touched are listed with their values below.
    ([key, v]) => v !== null && v !== undefined && !(changes.length > 0 && key === 'fields'),
  );
  if (details.length === 0 && changes.length === 0) return null;
  return (
    <dl className="timeline__details">
      {details.map(([key, value]) => (
        <div key={key}>
          <dt>{key.replace(/_/g, ' ')}</dt>
          <dd>{show(value)}</dd>
        </div>
      ))}
      {changes.map((change) => (
        <div key={change.field ?? 'change'} data-field={change.field ?? undefined}>
          <dt>{change.field ? change.field.replace(/_/g, ' ') : 'change'}</dt>
          <dd>
            <del>{show(change.before)}</del> → <ins>{show(change.after)}</ins>
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function AuditTimeline({ events }: { events: AuditEvent[] }) {
  if (events.length === 0) return <p className="muted">No audit records yet.</p>;
  const ordered = [...events].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <ol className="timeline" aria-label="Audit trail">
      {ordered.map((event, index) => (
        <li key={`${event.at}-${index}`} className={`timeline__item timeline__item--${event.event}`} data-event={event.event}>
          <div className="timeline__head">
            <strong>{EVENT_TEXT[event.event] ?? event.event}</strong>
            <span className="muted">
              {' '}
              by {event.actor} · <time dateTime={event.at}>{formatDateTime(event.at)}</time>
            </span>
          </div>
          <Details event={event} />
        </li>
      ))}
    </ol>
  );
}
