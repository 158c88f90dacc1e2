/**
 * What a corrected value must look like, matching the normalized result's rules:
 * ISO-8601 dates, decimal strings for money, ISO 4217 currency codes.
 */
import { DATE_FIELDS, MONEY_FIELDS } from '@/types/domain';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DECIMAL = /^-?\d+(\.\d{1,4})?$/;
const CURRENCY = /^[A-Z]{3}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Tidies what a person typed: trims, upper-cases currencies, drops thousands separators. */
export function normalizeInput(field: string, raw: string): string {
  const value = raw.trim();
  if (field === 'currency') return value.toUpperCase();
  if (MONEY_FIELDS.has(field)) return value.replace(/[\s,]/g, '');
  return value;
}

/** An error message, or null when the value is acceptable. */
export function validateField(field: string, value: string): string | null {
  if (value === '') return 'Enter a value, or cancel to keep the extracted one.';
  if (DATE_FIELDS.has(field) && !isIsoDate(value)) {
    return 'Use a real date written YYYY-MM-DD, e.g. 2026-03-31.';
  }
  if (MONEY_FIELDS.has(field) && !DECIMAL.test(value)) {
    return 'Use a plain amount with a dot for decimals, e.g. 1234.50 (no currency sign).';
  }
  if (field === 'currency' && !CURRENCY.test(value)) {
    return 'Use a three-letter ISO 4217 code, e.g. EUR or USD.';
  }
  if (field === 'remittance_email' && !EMAIL.test(value)) return 'Use an e-mail address, e.g. ap@example.com.';
  if (value.length > 500) return 'Keep it under 500 characters.';
  return null;
}

export function inputHint(field: string): string | undefined {
  if (DATE_FIELDS.has(field)) return 'YYYY-MM-DD';
  if (MONEY_FIELDS.has(field)) return 'e.g. 1234.50';
  if (field === 'currency') return 'e.g. EUR';
  return undefined;
}
