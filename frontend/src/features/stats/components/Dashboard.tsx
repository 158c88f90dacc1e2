import { lazy, Suspense, useState } from 'react';
import { Link } from 'react-router';
import { ErrorMessage, Loading } from '@/components/Feedback';
import { fieldLabel, formatDuration, formatMoney } from '@/lib/format';
import type { Stats } from '@/types/api';
import { useStats, type DayRange } from '../api/get-stats';
import { dueBounds, jobsBehind, queueBehind } from '../utils/links';
import { lastDays } from '../utils/range';

// The chart library is loaded with the charts, never with the app (the initial JS budget).
const DashboardCharts = lazy(() => import('./DashboardCharts'));

const PRESETS = [7, 30, 90] as const;

function percent(rate: number | null): string {
  return rate === null ? '—' : new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

function atMost(seconds: number | null | undefined): string {
  return seconds === null || seconds === undefined ? '—' : `≤ ${formatDuration(seconds * 1000)}`;
}

function Figure({ label, value, to, hint }: { label: string; value: string | number; to?: string; hint?: string }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd>
        {to ? <Link to={to}>{value}</Link> : value}
        {hint && <span className="figure__hint">{hint}</span>}
      </dd>
    </div>
  );
}

/**
 * Every count links to the list that adds up to it: an outcome to the jobs in that status
 * received in the figures' range, the backlog to the review queue with its filters. A
 * figure no list can add up to says so instead of linking to one that does not match.
 */
export function DashboardFigures({ stats, asOf }: { stats: Stats; asOf: number }) {
  const { outcomes, timings, backlog } = stats;
  const range: DayRange = { from: stats.date_from, to: stats.date_to };
  // The backlog is the queue as it was when the figures were answered.
  const due = dueBounds(asOf);
  return (
    <>
      <section aria-labelledby="outcomes-heading" className="panel">
        <h2 id="outcomes-heading">Invoices received</h2>
        <dl className="figures">
          <Figure label="Received" value={stats.received} hint="the five outcomes added up (the list of these days also holds jobs still being read)" />
          <Figure label="Completed automatically" value={outcomes.completed} to={jobsBehind('COMPLETED', range)} />
          <Figure label="Approved by a reviewer" value={outcomes.approved} to={jobsBehind('APPROVED', range)} />
          <Figure label="Rejected" value={outcomes.rejected} to={jobsBehind('REJECTED', range)} />
          <Figure label="Failed" value={outcomes.failed} to={jobsBehind('FAILED', range)} />
          <Figure label="Waiting for review" value={outcomes.in_review} to={jobsBehind('NEEDS_REVIEW', range)} />
          <Figure label="Straight-through rate" value={percent(stats.straight_through_rate)} hint="completed automatically of all but the failed" />
        </dl>
      </section>
      <section aria-labelledby="timings-heading" className="panel">
        <h2 id="timings-heading">Time to a final status</h2>
        <dl className="figures">
          <Figure label="Processing, median" value={atMost(timings.processing.median_seconds)} hint={`${timings.processing.count} invoices`} />
          <Figure label="Processing, 90th percentile" value={atMost(timings.processing.p90_seconds)} />
          <Figure
            label="Waiting for a person, median"
            value={atMost(timings.waiting_for_person.median_seconds)}
            hint={`${timings.waiting_for_person.count} reviewed`}
          />
          <Figure label="Waiting for a person, 90th percentile" value={atMost(timings.waiting_for_person.p90_seconds)} />
        </dl>
        <p className="muted">Durations from the daily roll-up&apos;s histogram: no list of jobs adds up to them.</p>
      </section>
      <section aria-labelledby="backlog-heading" className="panel">
        <h2 id="backlog-heading">Review backlog now</h2>
        <dl className="figures">
          <Figure label="Waiting" value={backlog.total} to={queueBehind()} />
          <Figure label="Overdue" value={backlog.overdue} to={queueBehind({ due_before: due.today })} />
          <Figure label="Due in the next 7 days" value={backlog.due_this_week} hint="the queue filters by due before, not from" />
          <Figure label="Overdue or due in the next 7 days" value={backlog.overdue + backlog.due_this_week} to={queueBehind({ due_before: due.inAWeek })} />
          <Figure label="Waiting over 7 days" value={backlog.by_age.over_7_days} hint="the queue sorts oldest first; it has no age filter" />
        </dl>
      </section>
      <section aria-labelledby="reasons-heading" className="panel">
        <h2 id="reasons-heading">Why invoices went to a person</h2>
        {stats.review_reasons.length === 0 ? (
          <p className="muted">No review reasons in this range.</p>
        ) : (
          <>
            <ol className="ranked">
              {stats.review_reasons.map((row) => (
                <li key={row.code}>
                  {row.code}: {row.count} ·{' '}
                  <Link to={queueBehind({ reason: row.code })} aria-label={`${row.code}: the queue now`}>
                    the queue now
                  </Link>
                </li>
              ))}
            </ol>
            <p className="muted">
              A count holds the invoices of the range decided since as well as those waiting: the queue lists only the ones waiting now.
            </p>
          </>
        )}
      </section>
      <section aria-labelledby="money-heading" className="panel">
        <h2 id="money-heading">Money approved and OCR cost</h2>
        <dl className="figures">
          {stats.approved_money.length === 0 && <Figure label="Approved" value="—" />}
          {stats.approved_money.map((money) => (
            <Figure key={money.currency} label={`Approved in ${money.currency}`} value={formatMoney(money.amount, money.currency)} />
          ))}
        </dl>
        <p className="muted">
          Totals of the completed and approved invoices, with corrections; the jobs list has no currency filter, so no list adds up to them. Nor to the OCR
          figures (no filter by OCR mode).
        </p>
        <table className="table" aria-label="OCR cost by mode">
          <thead>
            <tr>
              <th scope="col">Read by</th>
              <th scope="col">Invoices</th>
              <th scope="col">Pages</th>
              <th scope="col">Estimated cost</th>
              <th scope="col">Per invoice</th>
            </tr>
          </thead>
          <tbody>
            {stats.ocr.map((row) => (
              <tr key={row.mode}>
                <th scope="row">{row.mode === 'einvoice' ? 'E-invoice (no OCR)' : `Textract ${row.mode}`}</th>
                <td>{row.invoices}</td>
                <td>{row.pages}</td>
                <td>{formatMoney(row.estimated_cost, 'USD')}</td>
                <td>{formatMoney(row.cost_per_invoice, 'USD')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="corrections-heading" className="panel">
        <h2 id="corrections-heading">What reviewers correct</h2>
        {stats.corrections.length === 0 ? (
          <p className="muted">No corrections in this range.</p>
        ) : (
          <>
            <ol className="ranked">
              {stats.corrections.map((row) => (
                <li key={row.field}>
                  {fieldLabel(row.field)}: {row.count}
                </li>
              ))}
            </ol>
            <p className="muted">The jobs list has no filter by corrected field, so no list adds up to these.</p>
          </>
        )}
      </section>
    </>
  );
}

/** The AP manager's view: what came in, what went through alone, what waits, what it costs. */
export function Dashboard() {
  const [range, setRange] = useState<DayRange>(() => lastDays(30));
  const stats = useStats(range);
  const pick = (name: keyof DayRange) => (event: React.ChangeEvent<HTMLInputElement>) => {
    if (event.target.value) setRange({ ...range, [name]: event.target.value });
  };
  return (
    <>
      <form className="filters" aria-label="Date range" onSubmit={(event) => event.preventDefault()}>
        {PRESETS.map((days) => (
          <button key={days} type="button" className="button button--small" onClick={() => setRange(lastDays(days))}>
            Last {days} days
          </button>
        ))}
        <label>
          From <input type="date" value={range.from} max={range.to} onChange={pick('from')} />
        </label>
        <label>
          Before <input type="date" value={range.to} min={range.from} onChange={pick('to')} />
        </label>
        <span className="muted" aria-live="polite">
          {stats.isFetching ? 'Refreshing…' : ''}
        </span>
      </form>
      {stats.isPending && <Loading label="Loading the figures…" />}
      {stats.isError && <ErrorMessage error={stats.error} title="Could not load the figures." onRetry={() => void stats.refetch()} />}
      {stats.data && (
        <>
          <Suspense fallback={<Loading label="Loading the charts…" />}>
            <DashboardCharts stats={stats.data} />
          </Suspense>
          <DashboardFigures stats={stats.data} asOf={stats.dataUpdatedAt} />
        </>
      )}
    </>
  );
}
