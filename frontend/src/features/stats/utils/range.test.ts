import { describe, expect, it } from 'vitest';
import { lastDays } from './range';

describe('lastDays', () => {
  it('ends with today (UTC) included: `to` is the day after', () => {
    expect(lastDays(30, Date.parse('2026-03-20T23:59:00Z'))).toEqual({ from: '2026-02-19', to: '2026-03-21' });
    expect(lastDays(1, Date.parse('2026-01-01T00:00:00Z'))).toEqual({ from: '2026-01-01', to: '2026-01-02' });
  });
});
