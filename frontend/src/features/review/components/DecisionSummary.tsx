import { formatDateTime, fieldLabel } from '@/lib/format';
import type { AuditEvent, Job } from '@/types/api';
import { lineChanges } from '../utils/line-items';

/** The override reason an approval was given, from its audit record. */
function overrideOf(audit: AuditEvent[]): { reason: string; checks: string[] } | null {
  const approval = audit.find((event) => event.event === 'approved');
  const override: unknown = approval?.details.override;
  if (typeof override !== 'object' || override === null || !('reason' in override) || typeof override.reason !== 'string') return null;
  const checks = 'checks' in override && Array.isArray(override.checks) ? override.checks : [];
  return {
    reason: override.reason,
    checks: checks.map((check: unknown) =>
      typeof check === 'object' && check !== null && 'message' in check && typeof check.message === 'string' ? check.message : '',
    ).filter(Boolean),
  };
}

/** A decided invoice: who decided, when, why, and what the decision changed. */
export function DecisionSummary({ job, audit }: { job: Job; audit: AuditEvent[] }) {
  if (!job.decision) {
    return <p className="alert">This invoice is {job.status.toLowerCase().replace('_', ' ')}; there is nothing to decide.</p>;
  }
  const override = overrideOf(audit);
  const fields = Object.entries(job.corrections);
  const lines = job.line_corrections ? lineChanges(job.line_corrections.before, job.line_corrections.after) : [];
  return (
    <section className="decision-summary" aria-label="Decision" data-testid="decision-summary">
      <p className={`alert ${job.decision === 'REJECT' ? 'alert--error' : 'alert--success'}`}>
        <strong>{job.decision === 'REJECT' ? 'Rejected' : 'Approved'}</strong>
        {job.reviewer && <> by {job.reviewer}</>}
        {job.decided_at && (
          <>
            {' '}
            on <time dateTime={job.decided_at}>{formatDateTime(job.decided_at)}</time>
          </>
        )}
        . There is nothing left to decide.
      </p>
      <dl className="facts">
        {job.decision_reason && (
          <div>
            <dt>{job.decision === 'REJECT' ? 'Why it was rejected' : 'Reason'}</dt>
            <dd>{job.decision_reason}</dd>
          </div>
        )}
        {override && (
          <div>
            <dt>Approved despite failing checks, because</dt>
            <dd>
              {override.reason}
              {override.checks.length > 0 && (
                <ul>
                  {override.checks.map((check) => (
                    <li key={check}>{check}</li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
        )}
        <div>
          <dt>What changed</dt>
          <dd>
            {fields.length === 0 && lines.length === 0 ? (
              'Nothing: accepted as read.'
            ) : (
              <ul aria-label="What changed">
                {fields.map(([name, change]) => (
                  <li key={name} data-field={name}>
                    {fieldLabel(name)}: <del>{change.before ?? '—'}</del> → <ins>{change.after}</ins>
                  </li>
                ))}
                {lines.map((line) => (
                  <li key={line} data-field="line_items">
                    {line}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
    </section>
  );
}
