import { useId, useState, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { EmptyState, ErrorMessage, Loading } from '@/components/Feedback';
import { paths } from '@/config/paths';
import { formatDate, formatDuration, formatMoney } from '@/lib/format';
import { readTypedAmount } from '@/lib/money';
import { useReviewQueue, type QueueFilter } from '../api/get-review-queue';
import { useShortcuts } from '../hooks/use-shortcuts';
import { ShortcutsToggle } from './ShortcutsToggle';
import { readTypedDate } from '../utils/validate-field';

const SORTS: [string, string][] = [
  ['-created_at', 'Newest first'],
  ['created_at', 'Oldest first'],
  ['due_date', 'Due date, soonest first'],
  ['-due_date', 'Due date, latest first'],
  ['-total_amount', 'Total, largest first'],
  ['total_amount', 'Total, smallest first'],
  ['vendor_name', 'Vendor, A to Z'],
  ['-vendor_name', 'Vendor, Z to A'],
];
const REASONS = [
  'TOTALS_MISMATCH',
  'LINE_ITEMS_MISMATCH',
  'MISSING_FIELD',
  'LOW_CONFIDENCE',
  'DUPLICATE_INVOICE',
  'DUPLICATE_FILE',
  'CURRENCY_UNKNOWN',
  'DUE_BEFORE_ISSUE',
  'IBAN_INVALID',
];
const FILTER_KEYS = ['sort', 'reason', 'vendor', 'min_total', 'max_total', 'due_before', 'q'] as const;

/** A label beside its control (not around it: a select's options would join its name). */
function Field({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="queue-filters__field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}

/** The filter the URL holds (so a filtered queue can be shared and survives reload). */
function filterOf(params: URLSearchParams): QueueFilter {
  return Object.fromEntries(FILTER_KEYS.flatMap((key) => (params.get(key) ? [[key, params.get(key)]] : [])));
}

/** The review queue as a table: sorted, filtered and searched by the server. j/k move, Enter (or o) opens. */
export function ReviewQueue() {
  const [params, setParams] = useSearchParams();
  const filter = filterOf(params);
  const queue = useReviewQueue(filter);
  const navigate = useNavigate();
  const [selected, setSelected] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const items = queue.data?.pages.flatMap((page) => page.items) ?? [];
  const current = Math.min(selected, Math.max(0, items.length - 1));
  // Ages are as of the last answer (the queue refreshes every 20 s).
  const now = queue.dataUpdatedAt;

  const open = () => {
    const job = items[current];
    if (job) void navigate(paths.reviewJob(job.job_id));
  };
  useShortcuts({
    j: () => setSelected(Math.min(items.length - 1, current + 1)),
    k: () => setSelected(Math.max(0, current - 1)),
    o: open,
    Enter: open,
  });

  const apply = (form: HTMLFormElement) => {
    const data = new FormData(form);
    const next = new URLSearchParams();
    for (const key of FILTER_KEYS) {
      const entry = data.get(key);
      const raw = typeof entry === 'string' ? entry.trim() : '';
      if (!raw) continue;
      if (key === 'min_total' || key === 'max_total') {
        const reading = readTypedAmount(raw, null);
        if (!reading.ok) return setProblem(`${key === 'min_total' ? 'Total from' : 'Total to'}: ${reading.error}`);
        next.set(key, reading.value);
      } else if (key === 'due_before') {
        const reading = readTypedDate(raw);
        if (!reading.ok) return setProblem(`Due before: ${reading.error}`);
        next.set(key, reading.value);
      } else {
        next.set(key, raw);
      }
    }
    setProblem(null);
    setSelected(0);
    setParams(next, { replace: true });
  };

  return (
    <section className="panel" aria-labelledby="queue-heading">
      <div className="panel__header">
        <h2 id="queue-heading">Review queue</h2>
        <ShortcutsToggle>
          <span className="muted">
            : <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>Enter</kbd> opens
          </span>
        </ShortcutsToggle>
      </div>
      <form
        key={params.toString()}
        className="queue-filters"
        aria-label="Queue filters"
        onSubmit={(event) => {
          event.preventDefault();
          apply(event.currentTarget);
        }}
        onChange={(event) => {
          // Choices apply at once; typed values on Enter or "Apply".
          if (event.target instanceof HTMLSelectElement) apply(event.currentTarget);
        }}
      >
        <Field label="Sort">
          {(id) => (
            <select id={id} name="sort" defaultValue={filter.sort ?? '-created_at'}>
            {SORTS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          )}
        </Field>
        <Field label="Search">
          {(id) => (
            <input id={id} name="q" type="search" defaultValue={filter.q ?? ''} placeholder="vendor, number, file" />
          )}
        </Field>
        <Field label="Vendor">
          {(id) => (
            <input id={id} name="vendor" defaultValue={filter.vendor ?? ''} />
          )}
        </Field>
        <Field label="Reason">
          {(id) => (
            <select id={id} name="reason" defaultValue={filter.reason ?? ''}>
            <option value="">Any</option>
            {REASONS.map((code) => (
              <option key={code} value={code}>
                {code.toLowerCase().replace(/_/g, ' ')}
              </option>
            ))}
          </select>
          )}
        </Field>
        <Field label="Total from">
          {(id) => (
            <input id={id} name="min_total" inputMode="decimal" defaultValue={filter.min_total ?? ''} />
          )}
        </Field>
        <Field label="Total to">
          {(id) => (
            <input id={id} name="max_total" inputMode="decimal" defaultValue={filter.max_total ?? ''} />
          )}
        </Field>
        <Field label="Due before">
          {(id) => (
            <input id={id} name="due_before" defaultValue={filter.due_before ?? ''} placeholder="31.12.2026" />
          )}
        </Field>
        <button type="submit" className="button button--small">
          Apply
        </button>
        {params.toString() && (
          <button type="button" className="button button--small button--ghost" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
            Clear
          </button>
        )}
      </form>
      {problem && (
        <p className="error-text" role="alert">
          {problem}
        </p>
      )}
      {queue.isPending && <Loading label="Loading the queue…" />}
      {queue.isError && <ErrorMessage error={queue.error} title="Could not load the review queue." onRetry={() => void queue.refetch()} />}
      {queue.isSuccess &&
        items.length === 0 &&
        (params.toString() ? (
          <EmptyState title="No invoice in review matches">Loosen or clear the filters to see the rest of the queue.</EmptyState>
        ) : (
          <EmptyState title="Nothing to review">Every invoice has been read and decided. New ones that need a person show up here.</EmptyState>
        ))}
      {items.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Invoices waiting for review">
          <table className="queue-table">
            <thead>
              <tr>
                <th scope="col">Vendor</th>
                <th scope="col" className="wide-only">
                  Invoice
                </th>
                <th scope="col" className="num">
                  Total
                </th>
                <th scope="col">Due</th>
                <th scope="col" className="wide-only">
                  Waiting
                </th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {items.map((job, index) => (
                <tr key={job.job_id} className={index === current ? 'queue__item queue__item--selected' : 'queue__item'} data-testid="queue-item" data-job-id={job.job_id}>
                  <td>
                    <Link to={paths.reviewJob(job.job_id)} aria-current={index === current ? 'true' : undefined}>
                      {job.summary.vendor_name ?? job.filename}
                    </Link>
                    {job.summary.vendor_name && <span className="secondary">{job.filename}</span>}
                  </td>
                  <td className="wide-only">{job.summary.invoice_number ?? '—'}</td>
                  <td className="num" data-testid="queue-total">
                    {formatMoney(job.summary.total_amount, job.summary.currency)}
                  </td>
                  <td data-testid="queue-due" data-due={job.summary.due_date ?? ''}>
                    {job.summary.due_date ? <time dateTime={job.summary.due_date}>{formatDate(job.summary.due_date)}</time> : '—'}
                  </td>
                  <td className="wide-only">{formatDuration(now - new Date(job.created_at).getTime())}</td>
                  <td>
                    <ul className="queue__reasons">
                      {job.review_reasons.map((reason, i) => (
                        <li key={`${reason.code}-${i}`} title={reason.message}>
                          {reason.message}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {queue.hasNextPage && (
        <button type="button" className="button" onClick={() => void queue.fetchNextPage()}>
          Load more
        </button>
      )}
    </section>
  );
}
