/**
 * Polling that backs off: fast while things change, slower while they do not, and
 * off once nothing more can happen without a person.
 */
export const POLL_MIN_MS = 1_000;
export const POLL_MAX_MS = 15_000;
export const POLL_FACTOR = 1.6;

/** Delay before the next poll after `unchanged` polls that saw no change. */
export function pollDelay(unchanged: number): number {
  return Math.min(POLL_MAX_MS, Math.round(POLL_MIN_MS * POLL_FACTOR ** Math.max(0, unchanged)));
}

export interface Observation {
  /** What was seen, e.g. the statuses; a change resets the backoff. */
  fingerprint: string;
  /** When it was fetched; TanStack Query may ask more than once per fetch. */
  fetchedAt: number;
  /** Nothing more will change by itself: stop polling. */
  done: boolean;
}

/** A `refetchInterval` helper that remembers how long nothing has changed. */
export function createBackoff(): (seen: Observation) => number | false {
  let lastFingerprint: string | null = null;
  let lastFetchedAt = -1;
  let unchanged = 0;
  return ({ fingerprint, fetchedAt, done }) => {
    if (done) return false;
    if (fetchedAt !== lastFetchedAt) {
      unchanged = fingerprint === lastFingerprint ? unchanged + 1 : 0;
      lastFingerprint = fingerprint;
      lastFetchedAt = fetchedAt;
    }
    return pollDelay(unchanged);
  };
}
