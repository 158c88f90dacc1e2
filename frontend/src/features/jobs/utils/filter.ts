import { JOB_STATUSES, type JobStatus } from '@/types/api';
import type { JobsFilter } from '../api/get-jobs';

/**
 * The jobs list's filter as the address holds it (`?status=&from=&to=`), so a dashboard
 * figure links to the list behind it and a filtered list can be shared. An unknown status
 * is left out (the select could not show it); days go to the API as written, which
 * answers a day the calendar has not with a 400 the list shows.
 */
export function filterOf(params: URLSearchParams): JobsFilter {
  const wanted = params.get('status');
  const status: JobStatus | undefined = JOB_STATUSES.find((value) => value === wanted);
  const from = params.get('from') || undefined;
  const to = params.get('to') || undefined;
  return { ...(status && { status }), ...(from && { from }), ...(to && { to }) };
}

/** The address's query for a filter (empty values left out). */
export function paramsOf(filter: JobsFilter): Record<string, string> {
  const { status, from, to } = filter;
  return { ...(status && { status }), ...(from && { from }), ...(to && { to }) };
}

const DAY_MS = 24 * 3600 * 1000;
const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

function formatDay(iso: string, offsetDays = 0): string {
  const ms = Date.parse(iso);
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) && !Number.isNaN(ms) ? day.format(new Date(ms + offsetDays * DAY_MS)) : iso;
}

/** The days a filter selects, in words: `to` is the day after the last one (as the API takes it). */
export function describeDays(filter: Pick<JobsFilter, 'from' | 'to'>): string | null {
  const { from, to } = filter;
  if (from && to) return `received ${formatDay(from)} – ${formatDay(to, -1)}`;
  if (from) return `received on or after ${formatDay(from)}`;
  if (to) return `received on or before ${formatDay(to, -1)}`;
  return null;
}
