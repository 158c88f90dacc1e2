import { lazy, Suspense, useState } from 'react';
import { Link } from 'react-router';
import { ErrorMessage, Loading } from '@/components/Feedback';
import { paths } from '@/config/paths';
import { fieldLabel, formatDuration } from '@/lib/format';
import { formatMoney } from '@/lib/money';
import type { Stats } from '@/types/api';
import { useStats, type DayRange } from '../api/get-stats';
import { lastDays } from '../utils/range';

// The chart library is loaded with the charts, never with the app (the initial JS budget).
const DashboardCharts = lazy(() => import('./DashboardCharts'));

const PRESETS = [7, 30, 90] as const;

/** The list behind a figure: the jobs in that status. */
const jobsIn = (status: string) => `${paths.jobs}?status=${status}`;

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

export function DashboardFigures({ stats }: { stats: Stats }) {
  const { outcomes, timings, backlog } = stats;
  return (
    <>
      <section aria-labelledby="outcomes-heading" className="panel">
        <h2 id="outcomes-heading">Invoices received</h2>
        <dl className="figures">
          <Figure label="Received" value={stats.received} to={paths.jobs} />
          <Figure label="Completed automatically" value={outcomes.completed} to={jobsIn('COMPLETED')} />
          <Figure label="Approved by a reviewer" value={outcomes.approved} to={jobsIn('APPROVED')} />
          <Figure label="Rejected" value={outcomes.rejected} to={jobsIn('REJECTED')} />
          <Figure label="Failed" value={outcomes.failed} to={jobsIn('FAILED')} />
          <Figure label="Waiting for review" value={outcomes.in_review} to={paths.review} />
          <Figure label="Straight-through rate" value={percent(stats.straight_through_rate)} to={jobsIn('COMPLETED')} />
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
      </section>
      <section aria-labelledby="backlog-heading" className="panel">
        <h2 id="backlog-heading">Review backlog now</h2>
        <dl className="figures">
          <Figure label="Waiting" value={backlog.total} to={paths.review} />
          <Figure label="Overdue" value={backlog.overdue} to={paths.review} />
          <Figure label="Due in the next 7 days" value={backlog.due_this_week} to={paths.review} />
          <Figure label="Waiting over 7 days" value={backlog.by_age.over_7_days} to={paths.review} />
        </dl>
      </section>
      <section aria-labelledby="money-heading" className="panel">
        <h2 id="money-heading">Money approved and OCR cost</h2>
        <dl className="figures">
          {stats.approved_money.length === 0 && <Figure label="Approved" value="—" />}
          {stats.approved_money.map((money) => (
            <Figure key={money.currency} label={`Approved in ${money.currency}`} value={formatMoney(money.amount, money.currency)} to={jobsIn('APPROVED')} />
          ))}
        </dl>
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
          <ol className="ranked">
            {stats.corrections.map((row) => (
              <li key={row.field}>
                {fieldLabel(row.field)}: {row.count}
              </li>
            ))}
          </ol>
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
          <DashboardFigures stats={stats.data} />
        </>
      )}
    </>
  );
}
