import { paths } from '@/config/paths';
import type { JobStatus } from '@/types/api';
import type { DayRange } from '../api/get-stats';
import { dayOf } from './range';

const DAY_MS = 24 * 3600 * 1000;

/** The jobs list behind an outcome: the jobs in `status` received in the figures' range,
 * which is the range the API counted them in (`to` not included, as the list takes it). */
export function jobsBehind(status: JobStatus, range: DayRange): string {
  return `${paths.jobs}?${new URLSearchParams({ status, from: range.from, to: range.to }).toString()}`;
}

/** The review queue with its own filters (the backlog is the queue as it is now). */
export function queueBehind(filter: { due_before?: string; reason?: string } = {}): string {
  const query = new URLSearchParams(Object.entries(filter).filter((entry): entry is [string, string] => Boolean(entry[1]))).toString();
  return query ? `${paths.review}?${query}` : paths.review;
}

/** The due-date bounds of the backlog's figures (services/api/logic/stats.py): overdue is
 * due before today, "due this week" before today + 7 (UTC). */
export function dueBounds(now = Date.now()): { today: string; inAWeek: string } {
  const today = dayOf(now);
  return { today, inAWeek: dayOf(Date.parse(today) + 7 * DAY_MS) };
}
