/**
 * GET /stats in demo mode: services/api/logic/stats.py over the demo data's GENERATED
 * roll-up (`history`) and the demo's own jobs. The demo's world happened before its
 * reference time; the dashboard shows it as if that were today, so the history and the
 * seeded jobs are moved forward by whole days (jobs uploaded in the demo are not).
 */
import { minorUnits } from '@/lib/money';
import type { Job, JobStatus, Stats } from '@/types/api';
import type { DemoData } from './demo-data';

const DAY_MS = 24 * 3600 * 1000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const startOfDay = (ms: number) => Date.parse(dayOf(ms));

/**
 * The demo's world as the dashboard sees it: moved forward by the whole days from its
 * reference day to today. Every comparison with a day range or with today (the
 * dashboard's figures, the job list's `from`/`to`, the queue's `due_before`) goes through
 * it, so a figure and the list behind it agree; the jobs keep their own times on screen.
 */
export function demoCalendar(data: DemoData, now: number) {
  const reference = Date.parse(data.reference_time);
  const shift = startOfDay(now) - startOfDay(reference);
  const moved = (iso: string) => {
    const ms = Date.parse(iso);
    return ms <= reference ? ms + shift : ms;
  };
  return {
    shift,
    /** The day a job was received (created), as the dashboard counts it. */
    receivedDay: (job: Job) => dayOf(moved(job.created_at)),
    /** The day a job is due (seeded jobs' due dates move with them), or null. */
    dueDay: (job: Job) => {
      const due = job.summary.due_date;
      if (!due || !/^\d{4}-\d{2}-\d{2}$/.test(due)) return null;
      return dayOf(Date.parse(due) + (Date.parse(job.created_at) <= reference ? shift : 0));
    },
    /** How long a waiting job has waited, in hours. */
    hoursWaiting: (job: Job) => (now - moved(job.processed_at ?? job.created_at)) / 3_600_000,
  };
}

const OUTCOMES = ['COMPLETED', 'APPROVED', 'REJECTED', 'FAILED'] as const satisfies readonly JobStatus[];
const historyJobs = new WeakMap<DemoData, Job[]>();

/**
 * The made-up jobs behind the GENERATED history, one per outcome its day counts: the
 * history holds only counters, and the jobs list behind a dashboard figure must add up to
 * it. They have no document or result; their times are the history day's (before the
 * reference time, so they move as the seeded jobs do).
 */
export function demoHistoryJobs(data: DemoData): Job[] {
  const known = historyJobs.get(data);
  if (known) return known;
  const jobs: Job[] = [];
  for (const { day, counters } of data.history) {
    let number = 0;
    for (const status of OUTCOMES) {
      for (let i = 0; i < (counters[status.toLowerCase()] ?? 0); i += 1) {
        number += 1;
        // Spread over the working day, as the generator made them (08:00 onwards).
        const created = Date.parse(`${day}T08:00:00.000Z`) + number * 5 * 60_000;
        const at = (ms: number) => new Date(created + ms).toISOString();
        const reviewed = status === 'APPROVED' || status === 'REJECTED';
        jobs.push({
          job_id: `history-${day}-${number}`,
          status,
          tenant_id: 'acme',
          uploaded_by: 'history',
          filename: `history-${day}-${number}.pdf`,
          content_type: 'application/pdf',
          size_bytes: null,
          file_sha256: null,
          created_at: at(0),
          updated_at: at(reviewed ? 3_600_000 : 60_000),
          processing_started_at: at(1_000),
          processed_at: status === 'FAILED' ? null : at(60_000),
          version: reviewed ? 6 : 5,
          attempt: 1,
          failure_reason: status === 'FAILED' ? 'Generated history: no document to read.' : null,
          invoice_key: null,
          review_reasons: [],
          has_result: false,
          decision: status === 'APPROVED' ? 'APPROVE' : status === 'REJECTED' ? 'REJECT' : null,
          reviewer: reviewed ? 'history' : null,
          decision_reason: null,
          decided_at: reviewed ? at(3_600_000) : null,
          corrections: {},
          line_corrections: null,
          summary: { vendor_name: null, invoice_number: null, document_date: null, due_date: null, total_amount: null, currency: null },
          read_from: null,
        });
      }
    }
  }
  historyJobs.set(data, jobs);
  return jobs;
}

/** Upper bound of the bucket holding the `fraction` quantile (services.common.stats.percentile). */
export function percentile(buckets: ReadonlyMap<number, number>, fraction: number, bounds: readonly number[]): number | null {
  const total = [...buckets.values()].reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(fraction * total));
  let seen = 0;
  for (const index of [...buckets.keys()].sort((a, b) => a - b)) {
    seen += buckets.get(index) ?? 0;
    if (seen >= rank) return bounds[Math.min(index, bounds.length - 1)] ?? null;
  }
  return bounds[bounds.length - 1] ?? null;
}

function prefixed(totals: ReadonlyMap<string, number>, prefix: string): Map<string, number> {
  return new Map([...totals].filter(([name]) => name.startsWith(prefix)).map(([name, n]) => [name.slice(prefix.length), n]));
}

function ranked(counts: ReadonlyMap<string, number>): [string, number][] {
  return [...counts].filter(([, n]) => n > 0).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
}

function durations(totals: ReadonlyMap<string, number>, prefix: string, bounds: readonly number[]) {
  const buckets = new Map([...prefixed(totals, prefix)].map(([index, n]) => [Number(index), n]));
  return {
    count: [...buckets.values()].reduce((sum, n) => sum + n, 0),
    median_seconds: percentile(buckets, 0.5, bounds),
    p90_seconds: percentile(buckets, 0.9, bounds),
  };
}

/** A decimal string of `minor` units with `decimals` places, without floating point. */
function decimalOf(minor: number, decimals: number): string {
  if (decimals === 0) return String(minor);
  const digits = String(Math.abs(minor)).padStart(decimals + 1, '0');
  return `${minor < 0 ? '-' : ''}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/**
 * GET /stats over the GENERATED roll-up plus the demo's own jobs (`jobs`: seeded and
 * uploaded, never the history's). The roll-up of a deployment counts a job at its final
 * status; here the demo's jobs are counted by the status they have now, so every outcome
 * adds up to the jobs list of that status and range (history and demo jobs together).
 */
export function demoStats(data: DemoData, jobs: readonly Job[], range: { from: string; to: string }, now: number): Stats {
  const calendar = demoCalendar(data, now);
  const inRange = (day: string) => range.from <= day && day < range.to;
  const totals = new Map<string, number>();
  for (const { day, counters } of data.history) {
    if (!inRange(dayOf(Date.parse(day) + calendar.shift))) continue;
    for (const [name, n] of Object.entries(counters)) totals.set(name, (totals.get(name) ?? 0) + n);
  }
  const get = (name: string) => totals.get(name) ?? 0;
  const received = jobs.filter((job) => inRange(calendar.receivedDay(job)));
  const counted = (status: JobStatus) => received.filter((job) => job.status === status);
  const waiting = jobs.filter((job) => job.status === 'NEEDS_REVIEW');
  const outcomes = {
    completed: get('completed') + counted('COMPLETED').length,
    approved: get('approved') + counted('APPROVED').length,
    rejected: get('rejected') + counted('REJECTED').length,
    failed: get('failed') + counted('FAILED').length,
    in_review: counted('NEEDS_REVIEW').length,
  };
  const decided = outcomes.completed + outcomes.approved + outcomes.rejected + outcomes.in_review;
  const reasons = prefixed(totals, 'reason#');
  for (const job of [...counted('NEEDS_REVIEW'), ...counted('APPROVED'), ...counted('REJECTED')]) {
    for (const code of new Set(job.review_reasons.map((reason) => reason.code))) reasons.set(code, (reasons.get(code) ?? 0) + 1);
  }
  const ages = { under_1_day: 0, from_1_to_3_days: 0, from_3_to_7_days: 0, over_7_days: 0 };
  let overdue = 0;
  let dueSoon = 0;
  let undated = 0;
  const today = dayOf(now);
  const inAWeek = dayOf(startOfDay(now) + 7 * DAY_MS);
  for (const job of waiting) {
    const hours = calendar.hoursWaiting(job);
    if (hours < 24) ages.under_1_day += 1;
    else if (hours < 72) ages.from_1_to_3_days += 1;
    else if (hours < 168) ages.from_3_to_7_days += 1;
    else ages.over_7_days += 1;
    const dueDay = calendar.dueDay(job);
    if (dueDay === null) undated += 1;
    else if (dueDay < today) overdue += 1;
    else if (dueDay < inAWeek) dueSoon += 1;
  }
  const ocrJobs = prefixed(totals, 'ocr_jobs#');
  const ocrPages = prefixed(totals, 'ocr_pages#');
  const ocr = [...ocrJobs]
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([mode, invoices]) => {
      const price = data.ocr_prices[mode] ?? '0';
      const pages = ocrPages.get(mode) ?? 0;
      // Prices have at most 4 decimals: cost in 1/10000 USD stays an exact integer.
      const cost = Math.round(Number(price) * 10_000) * pages;
      return {
        mode,
        invoices,
        pages,
        price_per_page: price,
        estimated_cost: decimalOf(cost, 4),
        cost_per_invoice: decimalOf(Math.round(cost / invoices), 4),
      };
    });
  return {
    date_from: range.from,
    date_to: range.to,
    received: get('received') + received.filter((job) => job.status === 'NEEDS_REVIEW' || (OUTCOMES as readonly JobStatus[]).includes(job.status)).length,
    outcomes,
    straight_through_rate: decided ? Math.round((outcomes.completed / decided) * 10_000) / 10_000 : null,
    timings: {
      processing: durations(totals, 'processing_s#', data.histogram_bounds),
      waiting_for_person: durations(totals, 'waiting_s#', data.histogram_bounds),
    },
    backlog: { total: waiting.length, by_age: ages, overdue, due_this_week: dueSoon, no_due_date: undated },
    review_reasons: ranked(reasons).map(([code, count]) => ({ code, count })),
    corrections: ranked(prefixed(totals, 'corrected#')).map(([field, count]) => ({ field, count })),
    ocr,
    approved_money: [...prefixed(totals, 'money#')]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, minor]) => ({ currency, amount: decimalOf(minor, minorUnits(currency) ?? 2) })),
  };
}
