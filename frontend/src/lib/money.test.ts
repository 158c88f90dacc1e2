import { describe, expect, it } from 'vitest';
import { minorUnits, readTypedAmount } from './money';

const read = (raw: string, currency: string | null = 'EUR') => readTypedAmount(raw, currency);

describe('readTypedAmount', () => {
  it.each([
    ['93,50', '93.50'],
    ['93.5', '93.50'],
    ['1.234,50', '1234.50'],
    ['1,234.50', '1234.50'],
    ['1 234,50', '1234.50'],
    ['1\u00a0234,50', '1234.50'],
    ["1'234.50", '1234.50'],
    ['1.234.567', '1234567.00'],
    ['-12', '-12.00'],
    ['1234', '1234.00'],
    ['0,5', '0.50'],
  ])('reads %s as %s', (raw, value) => {
    expect(read(raw)).toEqual({ ok: true, value });
  });

  it('keeps the currency’s minor units', () => {
    expect(read('1000', 'JPY')).toEqual({ ok: true, value: '1000' });
    expect(read('100,125', 'BHD')).toEqual({ ok: true, value: '100.125' });
    expect(read('1000,5', 'JPY')).toMatchObject({ ok: false });
    expect(read('1,005', 'EUR')).toMatchObject({ ok: false });
    expect(read('12.3456', null)).toEqual({ ok: true, value: '12.3456' });
  });

  it.each(['1,234', '1.234', '1.234,5.6', '12,34,5', '€12', '1e3', 'abc', '', '1,2,3.4'])('refuses %s', (raw) => {
    const reading = read(raw);
    expect(reading.ok).toBe(false);
  });

  it('says what the ambiguous reading could be', () => {
    const reading = read('1,234');
    expect(reading.ok ? '' : reading.error).toContain('1234 or 1.234');
  });
});

describe('minorUnits', () => {
  it('knows minor units from ISO 4217', () => {
    expect(minorUnits('EUR')).toBe(2);
    expect(minorUnits('JPY')).toBe(0);
    expect(minorUnits('BHD')).toBe(3);
    expect(minorUnits('XYZ1')).toBeNull();
  });
});
