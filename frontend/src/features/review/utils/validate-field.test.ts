import { describe, expect, it } from 'vitest';
import { isIsoDate, readFieldInput, readTypedDate } from './validate-field';

const read = (field: string, raw: string, currency: string | null = 'EUR') => readFieldInput(field, raw, currency);

describe('readFieldInput', () => {
  it('reads dates as documents print them and refuses ambiguous ones', () => {
    expect(read('due_date', '2026-02-28')).toEqual({ ok: true, value: '2026-02-28' });
    expect(read('due_date', '28.02.2026')).toEqual({ ok: true, value: '2026-02-28' });
    expect(read('due_date', '28/02/2026')).toEqual({ ok: true, value: '2026-02-28' });
    expect(read('due_date', '02/28/2026')).toEqual({ ok: true, value: '2026-02-28' });
    expect(read('due_date', '28 Feb 2026')).toEqual({ ok: true, value: '2026-02-28' });
    expect(read('due_date', 'February 28, 2026')).toEqual({ ok: true, value: '2026-02-28' });
    const ambiguous = readTypedDate('03/04/2026');
    expect(ambiguous.ok ? '' : ambiguous.error).toMatch(/2026-04-03 or 2026-03-04/);
    expect(read('due_date', '2026-02-30').ok).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
  });

  it('reads money as printed, in the currency', () => {
    expect(read('total_amount', '93,50')).toEqual({ ok: true, value: '93.50' });
    expect(read('tax_amount', '1.615,68')).toEqual({ ok: true, value: '1615.68' });
    expect(read('total_amount', '€12.00').ok).toBe(false);
    expect(read('total_amount', '1,234').ok).toBe(false);
  });

  it('wants a three-letter currency code, upper-cased', () => {
    expect(read('currency', ' usd ')).toEqual({ ok: true, value: 'USD' });
    expect(read('currency', 'EURO').ok).toBe(false);
  });

  it('refuses an empty value and checks e-mail addresses', () => {
    const empty = read('vendor_name', '  ');
    expect(empty.ok ? '' : empty.error).toMatch(/Enter a value/);
    expect(read('remittance_email', 'ap@example.com').ok).toBe(true);
    expect(read('remittance_email', 'ap at example').ok).toBe(false);
    expect(read('vendor_name', '  Acme  ')).toEqual({ ok: true, value: 'Acme' });
  });
});
