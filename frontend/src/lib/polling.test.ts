import { describe, expect, it } from 'vitest';
import { createBackoff, POLL_MAX_MS, POLL_MIN_MS, pollDelay } from './polling';

describe('pollDelay', () => {
  it('starts at the minimum and grows until the cap', () => {
    expect(pollDelay(0)).toBe(POLL_MIN_MS);
    expect(pollDelay(1)).toBe(1600);
    expect(pollDelay(2)).toBe(2560);
    expect(pollDelay(50)).toBe(POLL_MAX_MS);
  });
});

describe('createBackoff', () => {
  it('backs off while nothing changes, resets on a change, and stops when done', () => {
    const next = createBackoff();
    expect(next({ fingerprint: 'a:PROCESSING', fetchedAt: 1, done: false })).toBe(1000);
    expect(next({ fingerprint: 'a:PROCESSING', fetchedAt: 2, done: false })).toBe(1600);
    expect(next({ fingerprint: 'a:PROCESSING', fetchedAt: 3, done: false })).toBe(2560);
    // asked again for the same fetch: no extra step
    expect(next({ fingerprint: 'a:PROCESSING', fetchedAt: 3, done: false })).toBe(2560);
    // a status change resets the backoff
    expect(next({ fingerprint: 'a:UPLOADED', fetchedAt: 4, done: false })).toBe(1000);
    expect(next({ fingerprint: 'a:COMPLETED', fetchedAt: 5, done: true })).toBe(false);
  });
});
