/**
 * Formatting shared by every screen: money, dates, sizes, durations and labels, written
 * for the person reading them (their browser's locale, unless a test passes one) and, for
 * money, in the invoice's own currency. Nothing here parses; `money.ts` reads typed amounts.
 */
import type { JobStatus } from '@/types/api';
import { minorUnits } from './money';

/** `undefined` means the browser's (the user's) locale; tests pass one to be deterministic. */
type Locale = string | undefined;

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** A moment (an ISO timestamp from the API) in the user's locale and time zone. */
export function formatDateTime(iso: string, locale?: Locale): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/**
 * A calendar date as the invoice prints it (`2026-03-31`, no time and no zone) in the
 * user's locale. Read and written in UTC, so the day never shifts with the time zone.
 * Anything that is not an ISO date is shown as it came; a missing one as a dash.
 */
export function formatDate(isoDate: string | null | undefined, locale?: Locale): string {
  if (!isoDate) return '—';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return isoDate;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== isoDate) return isoDate;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/**
 * An amount (the API's plain decimal string) in the invoice's currency, with that
 * currency's minor units (JPY none, BHD three) and the user's locale for grouping and
 * symbol placement. Without a known currency the number keeps its own decimals and
 * gets no symbol (never a guessed one); a missing amount is a dash.
 */
export function formatMoney(value: string | null | undefined, currency: string | null | undefined, locale?: Locale): string {
  if (value === null || value === undefined || value === '') return '—';
  const number = Number(value);
  if (!Number.isFinite(number)) return value;
  if (currency && minorUnits(currency) !== null) {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(number);
  }
  const decimals = value.split('.')[1]?.length ?? 0;
  return new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(number);
}

export function fieldLabel(name: string): string {
  const line = /^line_items\.(\d+)$/.exec(name);
  if (line) return `Line ${line[1]}`;
  const special: Record<string, string> = {
    vendor_tax_id: 'Vendor tax ID',
    purchase_order: 'Purchase order',
    remittance_email: 'Remittance e-mail',
    bank_bic: 'BIC',
    buyer_tax_id: 'Buyer tax ID',
    prepaid_amount: 'Paid in advance',
    line_total: 'Sum of lines',
    allowance_total: 'Allowances',
    charge_total: 'Charges',
  };
  const label = special[name] ?? name.replace(/_/g, ' ');
  return label.charAt(0).toUpperCase() + label.slice(1);
}

const STATUS_LABELS: Record<JobStatus, string> = {
  CREATED: 'Awaiting upload',
  UPLOADED: 'Uploaded',
  PROCESSING: 'Processing',
  COMPLETED: 'Completed',
  NEEDS_REVIEW: 'Needs review',
  APPROVED: 'Approved',
  REJECTED: 'Rejected',
  FAILED: 'Failed',
};

/** A job status in words (the status filter's options and the status badge). */
export function statusLabel(status: JobStatus): string {
  return STATUS_LABELS[status];
}
