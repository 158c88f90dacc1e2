import { describe, expect, it } from 'vitest';
import { isIsoDate, normalizeInput, validateField } from './validate-field';

describe('validateField', () => {
  it('wants real ISO dates for date fields', () => {
    expect(validateField('due_date', '2026-02-28')).toBeNull();
    expect(validateField('due_date', '2026-02-30')).toMatch(/YYYY-MM-DD/);
    expect(validateField('document_date', '28.02.2026')).toMatch(/YYYY-MM-DD/);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
  });

  it('wants plain decimals for money', () => {
    expect(validateField('total_amount', '1615.68')).toBeNull();
    expect(validateField('total_amount', '-12')).toBeNull();
    expect(validateField('total_amount', '€12.00')).toMatch(/plain amount/);
    expect(validateField('tax_amount', '1.615,68')).toMatch(/plain amount/);
  });

  it('wants a three-letter currency code', () => {
    expect(validateField('currency', 'EUR')).toBeNull();
    expect(validateField('currency', 'EURO')).toMatch(/ISO 4217/);
    expect(validateField('currency', 'eu')).toMatch(/ISO 4217/);
  });

  it('refuses an empty value and checks e-mail addresses', () => {
    expect(validateField('vendor_name', '')).toMatch(/Enter a value/);
    expect(validateField('remittance_email', 'ap@example.com')).toBeNull();
    expect(validateField('remittance_email', 'ap at example')).toMatch(/e-mail/);
  });
});

describe('normalizeInput', () => {
  it('trims, upper-cases currencies and drops thousands separators from money', () => {
    expect(normalizeInput('currency', ' usd ')).toBe('USD');
    expect(normalizeInput('total_amount', '1,615.68')).toBe('1615.68');
    expect(normalizeInput('vendor_name', '  Acme  ')).toBe('Acme');
  });
});
