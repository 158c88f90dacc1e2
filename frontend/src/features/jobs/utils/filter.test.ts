import { describe, expect, it } from 'vitest';
import { describeDays, filterOf, paramsOf } from './filter';

describe('the jobs list’s filter in the address', () => {
  it('reads status, from and to, leaving out what is empty or no status', () => {
    expect(filterOf(new URLSearchParams('status=FAILED&from=2026-11-01&to=2026-11-08'))).toEqual({
      status: 'FAILED',
      from: '2026-11-01',
      to: '2026-11-08',
    });
    expect(filterOf(new URLSearchParams('status=SLEEPING&from=&to=2026-11-08'))).toEqual({ to: '2026-11-08' });
    expect(filterOf(new URLSearchParams())).toEqual({});
  });

  it('writes back only what is set', () => {
    expect(paramsOf({ status: 'APPROVED', from: '2026-11-01' })).toEqual({ status: 'APPROVED', from: '2026-11-01' });
    expect(paramsOf({ status: undefined, from: '2026-11-01', to: '2026-11-08' })).toEqual({ from: '2026-11-01', to: '2026-11-08' });
  });

  it('says which days it selects, the last one being the day before `to`', () => {
    const day = (iso: string) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso));
    expect(describeDays({ from: '2026-11-01', to: '2026-11-08' })).toBe(`received ${day('2026-11-01')} – ${day('2026-11-07')}`);
    expect(describeDays({ from: '2026-11-01' })).toBe(`received on or after ${day('2026-11-01')}`);
    expect(describeDays({ to: '2026-03-01' })).toBe(`received on or before ${day('2026-02-28')}`);
    expect(describeDays({ from: 'someday' })).toBe('received on or after someday');
    expect(describeDays({})).toBeNull();
  });
});
