/**
 * What a reviewer types, read into the value the API takes (ISO-8601 dates, plain decimal
 * amounts in the currency's minor units, ISO 4217 codes), or why it cannot be read. Values
 * are typed as the document prints them; what is ambiguous is refused, never guessed.
 */
import { readTypedAmount } from '@/lib/money';
import { DATE_FIELDS, MONEY_FIELDS } from '@/types/domain';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const NUMERIC_DATE = /^(\d{1,2})([./-])(\d{1,2})\2(\d{4})$/;
const CURRENCY = /^[A-Z]{3}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export type Reading = { ok: true; value: string } | { ok: false; error: string };

export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function iso(year: number, month: number, day: number): string | null {
  const value = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isIsoDate(value) ? value : null;
}

function monthOf(word: string): number | null {
  const at = MONTHS.indexOf(word.slice(0, 3).toLowerCase());
  return at >= 0 ? at + 1 : null;
}

/**
 * A date as documents print it: `2026-03-31`, `31.03.2026` (points: day first),
 * `31/03/2026` or `03/31/2026` when only one order makes a date, `31 Mar 2026`,
 * `March 31, 2026`. `03/04/2026` is refused: the third of April or the fourth of March?
 */
export function readTypedDate(raw: string): Reading {
  const text = raw.trim();
  const bad: Reading = { ok: false, error: `“${text}” is not a date; type it as printed, e.g. 31.03.2026 or 2026-03-31.` };
  if (ISO_DATE.test(text)) return isIsoDate(text) ? { ok: true, value: text } : { ok: false, error: `“${text}” is not a calendar date.` };
  const numeric = NUMERIC_DATE.exec(text);
  if (numeric) {
    const [a, separator, b, year] = [Number(numeric[1]), numeric[2], Number(numeric[3]), Number(numeric[4])];
    const dayFirst = iso(year, b, a);
    if (separator === '.') return dayFirst ? { ok: true, value: dayFirst } : bad;
    const monthFirst = iso(year, a, b);
    if (dayFirst && monthFirst && dayFirst !== monthFirst) {
      return { ok: false, error: `“${text}” could be ${dayFirst} or ${monthFirst}; type it as YYYY-MM-DD to say which.` };
    }
    const value = dayFirst ?? monthFirst;
    return value ? { ok: true, value } : bad;
  }
  const words = /^(\d{1,2})\.?\s+([A-Za-z]+)\.?,?\s+(\d{4})$/.exec(text) ?? null;
  if (words) {
    const month = monthOf(words[2] ?? '');
    const value = month ? iso(Number(words[3]), month, Number(words[1])) : null;
    return value ? { ok: true, value } : bad;
  }
  const american = /^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$/.exec(text);
  if (american) {
    const month = monthOf(american[1] ?? '');
    const value = month ? iso(Number(american[3]), month, Number(american[2])) : null;
    return value ? { ok: true, value } : bad;
  }
  return bad;
}

/** The value to send for `field`, read from what was typed, or why it cannot be. */
export function readFieldInput(field: string, raw: string, currency: string | null | undefined): Reading {
  const value = raw.trim();
  if (value === '') return { ok: false, error: 'Enter a value, or cancel to keep the extracted one.' };
  if (DATE_FIELDS.has(field)) return readTypedDate(value);
  if (MONEY_FIELDS.has(field)) return readTypedAmount(value, currency);
  if (field === 'currency') {
    const code = value.toUpperCase();
    return CURRENCY.test(code) ? { ok: true, value: code } : { ok: false, error: 'Use a three-letter ISO 4217 code, e.g. EUR or USD.' };
  }
  if (field === 'remittance_email' && !EMAIL.test(value)) return { ok: false, error: 'Use an e-mail address, e.g. ap@example.com.' };
  if (value.length > 500) return { ok: false, error: 'Keep it under 500 characters.' };
  return { ok: true, value };
}

export function inputHint(field: string): string | undefined {
  if (DATE_FIELDS.has(field)) return 'as printed, e.g. 31.03.2026';
  if (MONEY_FIELDS.has(field)) return 'as printed, e.g. 1.234,50';
  if (field === 'currency') return 'e.g. EUR';
  return undefined;
}
