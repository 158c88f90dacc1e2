import { describe, expect, it } from 'vitest';
import { dueBounds, jobsBehind, queueBehind } from './links';

describe('the links behind the dashboard’s figures', () => {
  it('an outcome is the jobs list in that status, received in the figures’ range', () => {
    const href = jobsBehind('COMPLETED', { from: '2026-11-23', to: '2026-11-30' });
    const url = new URL(href, 'http://web.test');
    expect(url.pathname).toBe('/jobs');
    expect(Object.fromEntries(url.searchParams)).toEqual({ status: 'COMPLETED', from: '2026-11-23', to: '2026-11-30' });
  });

  it('the backlog is the review queue with its own filters, or the whole queue', () => {
    expect(queueBehind()).toBe('/review');
    expect(queueBehind({ due_before: '2026-11-30' })).toBe('/review?due_before=2026-11-30');
    expect(queueBehind({ reason: 'LOW_CONFIDENCE', due_before: undefined })).toBe('/review?reason=LOW_CONFIDENCE');
  });

  it('overdue is due before today (UTC) and "this week" before the same day a week on', () => {
    expect(dueBounds(Date.parse('2026-11-30T23:30:00Z'))).toEqual({ today: '2026-11-30', inAWeek: '2026-12-07' });
    expect(dueBounds(Date.parse('2026-12-29T00:00:00Z'))).toEqual({ today: '2026-12-29', inAWeek: '2027-01-05' });
  });
});
