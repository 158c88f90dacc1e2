import type { AuditEvent } from '@/types/api';
import { formatDateTime } from '@/lib/format';

const EVENT_TEXT: Record<string, string> = {
  created: 'Upload registered',
  uploaded: 'File stored',
  started: 'Processing started',
  ocr_started: 'Text recognition started',
  ocr_done: 'Text recognition finished',
  einvoice_read: 'E-invoice read from its XML (no text recognition)',
  routed: 'Fields checked and routed',
  corrected: 'Field corrected',
  approved: 'Approved',
  rejected: 'Rejected',
  failed: 'Failed',
  retried: 'Retried',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A line item as corrections record it: `line`, description, quantity, unit price, amount, tax rate. */
function showLine(line: Record<string, unknown>): string {
  const text = (key: string) => (typeof line[key] === 'string' ? line[key] : null);
  const priced = text('quantity') && text('unit_price') ? `${text('quantity')} × ${text('unit_price')}` : null;
  const parts = [text('description'), priced, text('amount') && `= ${text('amount')}`, text('tax_rate') && `(${text('tax_rate')}% tax)`];
  const label = typeof line.line === 'number' ? `line ${line.line}` : 'new line';
  return `${label}: ${parts.filter(Boolean).join(' ')}`;
}

function show(value: unknown): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    return value.map((item) => (isRecord(item) && ('amount' in item || 'description' in item) ? showLine(item) : show(item))).join('; ');
  }
  if (isRecord(value) && typeof value.reason === 'string' && Array.isArray(value.checks)) {
    // An override: the reason, and the checks it passed.
    const checks = value.checks.map((check) => (isRecord(check) && typeof check.check === 'string' ? check.check : '')).filter(Boolean);
    return checks.length ? `${value.reason} (passing ${checks.join(', ')})` : value.reason;
  }
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A correction's changes, one per field: the `before` and `after` maps of the record. */
function changesOf(event: AuditEvent): { field: string; before: unknown; after: unknown }[] {
  const before = event.before ?? {};
  const after = event.after ?? {};
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].map((field) => ({
    field,
    before: before[field],
    after: after[field],
  }));
}

function Details({ event }: { event: AuditEvent }) {
  const changes = changesOf(event);
  const details = Object.entries(event.details).filter(
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
        <div key={change.field} data-field={change.field}>
          <dt>{change.field.replace(/_/g, ' ')}</dt>
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
