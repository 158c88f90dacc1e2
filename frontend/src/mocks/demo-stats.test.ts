import { describe, expect, it } from 'vitest';
import { demoData } from '@/testing/demo-data';
import { demoStats, percentile } from './demo-stats';

const NOW = Date.parse('2026-11-30T10:00:00Z');

describe('the demo’s /stats', () => {
  it('shows the generated history as if the demo’s reference day were today', () => {
    const data = demoData();
    const jobs = data.jobs.map((entry) => entry.job);
    const all = demoStats(data, jobs, { from: '2026-01-01', to: '2026-12-01' }, NOW);
    const sum = (name: string) => data.history.reduce((total, day) => total + (day.counters[name] ?? 0), 0);
    const waiting = jobs.filter((job) => job.status === 'NEEDS_REVIEW');
    // Every generated day falls in 2026 once moved forward to end yesterday
    expect(all.outcomes.completed).toBe(sum('completed'));
    expect(all.received).toBe(sum('received') + waiting.length);
    expect(all.outcomes.in_review).toBe(waiting.length);
    expect(all.backlog.total).toBe(waiting.length);
    expect(all.straight_through_rate).toBeGreaterThan(0.5);
    expect(all.ocr.map((row) => row.mode)).toContain('einvoice');
    expect(all.ocr.find((row) => row.mode === 'einvoice')?.estimated_cost).toBe('0.0000');
    // A range before the history has nothing but still the backlog as it is now
    const before = demoStats(data, jobs, { from: '2020-01-01', to: '2020-02-01' }, NOW);
    expect(before.received).toBe(0);
    expect(before.backlog.total).toBe(waiting.length);
  });

  it('reads quantiles off the histogram as the API does', () => {
    const bounds = [5, 10, 20];
    expect(percentile(new Map([[0, 5], [2, 4], [3, 1]]), 0.5, bounds)).toBe(5);
    expect(percentile(new Map([[0, 5], [2, 4], [3, 1]]), 0.9, bounds)).toBe(20);
    expect(percentile(new Map([[0, 5], [2, 4], [3, 1]]), 1, bounds)).toBe(20);
    expect(percentile(new Map(), 0.5, bounds)).toBeNull();
  });
});
