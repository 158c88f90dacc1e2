/**
 * GET /stats in demo mode: services/api/logic/stats.py over the demo data's GENERATED
 * roll-up (`history`) and the demo's own review queue. The demo's world happened before
 * its reference time; the dashboard shows it as if that were today, so the history and
 * the seeded jobs are moved forward by whole days (jobs uploaded in the demo are not).
 */
import { minorUnits } from '@/lib/money';
import type { Job, Stats } from '@/types/api';
import type { DemoData } from './demo-data';

const DAY_MS = 24 * 3600 * 1000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const startOfDay = (ms: number) => Date.parse(dayOf(ms));

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

export function demoStats(data: DemoData, jobs: readonly Job[], range: { from: string; to: string }, now: number): Stats {
  const reference = Date.parse(data.reference_time);
  // Whole days from the demo's reference day to today: the history and seeded jobs move by this.
  const shift = startOfDay(now) - startOfDay(reference);
  const moved = (iso: string) => {
    const ms = Date.parse(iso);
    return ms <= reference ? ms + shift : ms;
  };
  const inRange = (day: string) => range.from <= day && day < range.to;
  const totals = new Map<string, number>();
  for (const { day, counters } of data.history) {
    if (!inRange(dayOf(Date.parse(day) + shift))) continue;
    for (const [name, n] of Object.entries(counters)) totals.set(name, (totals.get(name) ?? 0) + n);
  }
  const get = (name: string) => totals.get(name) ?? 0;
  const waiting = jobs.filter((job) => job.status === 'NEEDS_REVIEW');
  const waitingInRange = waiting.filter((job) => inRange(dayOf(moved(job.created_at))));
  const outcomes = {
    completed: get('completed'),
    approved: get('approved'),
    rejected: get('rejected'),
    failed: get('failed') - waitingInRange.filter((job) => job.attempt > 1).length,
    in_review: waitingInRange.length,
  };
  const decided = outcomes.completed + outcomes.approved + outcomes.rejected + outcomes.in_review;
  const reasons = prefixed(totals, 'reason#');
  for (const job of waitingInRange) {
    for (const code of new Set(job.review_reasons.map((reason) => reason.code))) reasons.set(code, (reasons.get(code) ?? 0) + 1);
  }
  const ages = { under_1_day: 0, from_1_to_3_days: 0, from_3_to_7_days: 0, over_7_days: 0 };
  let overdue = 0;
  let dueSoon = 0;
  let undated = 0;
  const today = dayOf(now);
  const inAWeek = dayOf(startOfDay(now) + 7 * DAY_MS);
  for (const job of waiting) {
    const hours = (now - moved(job.processed_at ?? job.created_at)) / 3_600_000;
    if (hours < 24) ages.under_1_day += 1;
    else if (hours < 72) ages.from_1_to_3_days += 1;
    else if (hours < 168) ages.from_3_to_7_days += 1;
    else ages.over_7_days += 1;
    const due = job.summary.due_date;
    const dueDay = due && /^\d{4}-\d{2}-\d{2}$/.test(due) ? dayOf(Date.parse(due) + (Date.parse(job.created_at) <= reference ? shift : 0)) : null;
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
    received: get('received') + waitingInRange.filter((job) => job.attempt === 1).length,
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
