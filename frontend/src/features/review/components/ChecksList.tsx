import type { Check } from '@/types/api';
import { errorMessage } from '@/lib/api-client';

const LABELS: Record<string, string> = {
  totals_add_up: 'Totals add up',
  line_items_sum: 'Line items add up',
  due_not_before_issue: 'Due date after invoice date',
  currency_known: 'Currency known',
  required_fields: 'Required fields',
  confidence: 'Read confidently',
  possible_duplicate: 'Not a duplicate',
  is_invoice: 'Is an invoice',
  credit_note: 'Credit note',
  iban_checksum: 'IBAN check digits',
};

const MARK = { pass: '✓', fail: '✕', skipped: '–' } as const;

/**
 * The pipeline's checks as the server runs them on the pending corrections
 * (POST /review/jobs/{id}/rescore). In the demo the mock API cannot run the Python
 * checks, so it answers the stored ones; the list says so rather than pretend.
 */
export function ChecksList({
  checks,
  live,
  updating,
  error,
  demo,
}: {
  checks: Record<string, Check>;
  live: boolean;
  updating: boolean;
  error: unknown;
  demo: boolean;
}) {
  const entries = Object.entries(checks).filter(([, check]) => check.status !== 'skipped');
  return (
    <div className="checks" aria-live="polite">
      <h3 className="checks__title">
        Checks {updating ? <span className="muted">(re-checking…)</span> : live ? <span className="muted">(with your corrections)</span> : null}
      </h3>
      {demo && <p className="muted checks__note">Demo: the checks shown are those the pipeline stored; on the live API they re-run as you correct.</p>}
      {error !== null && error !== undefined && <p className="error-text">The checks could not be re-run: {errorMessage(error)}</p>}
      <ul className="checks__list" data-testid="checks">
        {entries.map(([name, check]) => (
          <li key={name} className={`checks__item checks__item--${check.status}`} data-check={name} data-status={check.status}>
            <span aria-hidden="true">{MARK[check.status]}</span> <strong>{LABELS[name] ?? name.replace(/_/g, ' ')}</strong>
            <span className="visually-hidden">: {check.status === 'pass' ? 'passes' : 'fails'}.</span>
            {check.status === 'fail' && <span className="checks__message"> {check.message}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
