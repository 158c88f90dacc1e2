import type { DayRange } from '../api/get-stats';

const DAY_MS = 24 * 3600 * 1000;
const isoDay = (time: number) => new Date(time).toISOString().slice(0, 10);

/** The last `days` days up to today (UTC), as the API's range: `to` is the day after today. */
export function lastDays(days: number, now = Date.now()): DayRange {
  const tomorrow = Date.parse(isoDay(now)) + DAY_MS;
  return { from: isoDay(tomorrow - days * DAY_MS), to: isoDay(tomorrow) };
}
