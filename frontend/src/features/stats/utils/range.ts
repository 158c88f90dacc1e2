import type { DayRange } from '../api/get-stats';

const DAY_MS = 24 * 3600 * 1000;
/** The UTC day of a time, as the API's days are. */
export const dayOf = (time: number) => new Date(time).toISOString().slice(0, 10);

/** The last `days` days up to today (UTC), as the API's range: `to` is the day after today. */
export function lastDays(days: number, now = Date.now()): DayRange {
  const tomorrow = Date.parse(dayOf(now)) + DAY_MS;
  return { from: dayOf(tomorrow - days * DAY_MS), to: dayOf(tomorrow) };
}
