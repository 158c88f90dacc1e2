import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatMoney, statusLabel } from './format';

// Intl separates some currency symbols with a no-break space; compare with plain spaces.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('formatMoney', () => {
  it('gives JPY no decimals', () => {
    expect(plain(formatMoney('125000', 'JPY', 'en-US'))).toBe('¥125,000');
    expect(plain(formatMoney('125000', 'JPY', 'ja-JP'))).toBe('￥125,000');
  });

  it('gives BHD three decimals', () => {
    expect(plain(formatMoney('1234.5', 'BHD', 'en-US'))).toBe('BHD 1,234.500');
  });

  it('writes EUR the way the user’s locale does', () => {
    expect(plain(formatMoney('1234.5', 'EUR', 'de-DE'))).toBe('1.234,50 €');
    expect(plain(formatMoney('1234.5', 'EUR', 'en-IE'))).toBe('€1,234.50');
    expect(plain(formatMoney('1234.5', 'EUR', 'fr-FR'))).toBe('1 234,50 €');
  });

  it('writes an amount without a currency as a number, keeping its decimals and adding no symbol', () => {
    expect(formatMoney('93.5', null, 'en-US')).toBe('93.5');
    expect(formatMoney('1234.50', undefined, 'de-DE')).toBe('1.234,50');
    expect(formatMoney('1234.50', 'XYZ1', 'en-US')).toBe('1,234.50');
  });

  it('writes a missing amount as a dash and an unreadable one as it came', () => {
    expect(formatMoney(null, 'EUR')).toBe('—');
    expect(formatMoney(undefined, 'EUR')).toBe('—');
    expect(formatMoney('', 'EUR')).toBe('—');
    expect(formatMoney('twelve', 'EUR')).toBe('twelve');
  });
});

describe('formatDate', () => {
  it('writes an invoice date in the user’s locale without shifting the day', () => {
    expect(formatDate('2026-03-01', 'en-US')).toBe('Mar 1, 2026');
    expect(formatDate('2026-03-01', 'de-DE')).toBe('01.03.2026');
    expect(formatDate('2026-12-31', 'en-GB')).toBe('31 Dec 2026');
  });

  it('shows what is not an ISO date as it came, and a missing one as a dash', () => {
    expect(formatDate('31.12.2026', 'en-US')).toBe('31.12.2026');
    expect(formatDate('2026-02-30', 'en-US')).toBe('2026-02-30');
    expect(formatDate(null)).toBe('—');
    expect(formatDate('')).toBe('—');
  });
});

describe('formatDateTime', () => {
  it('writes a timestamp in the user’s locale and keeps an unreadable one', () => {
    expect(formatDateTime('2026-03-01T09:30:00Z', 'en-US')).toMatch(/^Mar 1, 2026, \d{1,2}:\d{2}\s?[AP]M$/);
    expect(formatDateTime('soon', 'en-US')).toBe('soon');
  });
});

describe('statusLabel', () => {
  it('turns a status into words', () => {
    expect(statusLabel('NEEDS_REVIEW')).toBe('Needs review');
  });
});
