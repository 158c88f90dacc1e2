/**
 * What the app knows about the result format and the status model beyond the API's
 * schemas (DESIGN §4; shared/docuflow/extraction/result.py, shared/docuflow/domain/status.py).
 */
import type { JobStatus } from './api';

/** Every normalized field name, in the order a reviewer reads an invoice. */
export const FIELD_NAMES = [
  'vendor_name',
  'vendor_address',
  'vendor_tax_id',
  'invoice_number',
  'document_date',
  'due_date',
  'purchase_order',
  'payment_terms',
  'currency',
  'subtotal',
  'tax_amount',
  'total_amount',
  'amount_due',
  'remit_to_name',
  'remit_to_address',
  'remittance_email',
  'remittance_phone',
  'bank_account',
  // What structured e-invoices carry besides (OCR does not look for these).
  'bank_bic',
  'buyer_name',
  'buyer_address',
  'buyer_tax_id',
  'buyer_reference',
  'delivery_date',
  'line_total',
  'allowance_total',
  'charge_total',
  'prepaid_amount',
] as const;
export type FieldName = (typeof FIELD_NAMES)[number];
export const MONEY_FIELDS: ReadonlySet<string> = new Set([
  'subtotal',
  'tax_amount',
  'total_amount',
  'amount_due',
  'line_total',
  'allowance_total',
  'charge_total',
  'prepaid_amount',
]);
export const DATE_FIELDS: ReadonlySet<string> = new Set(['document_date', 'due_date', 'delivery_date']);
export const REQUIRED_FIELDS: readonly string[] = ['vendor_name', 'invoice_number', 'document_date', 'total_amount'];

/** Statuses at which processing has stopped (FAILED can still be retried by hand). */
export const FINAL_STATUSES: ReadonlySet<JobStatus> = new Set<JobStatus>(['COMPLETED', 'APPROVED', 'REJECTED', 'FAILED']);

export function isFinalStatus(status: JobStatus): boolean {
  return FINAL_STATUSES.has(status);
}

/** Nothing more happens without a person: final, or waiting in the review queue. */
export function isSettledStatus(status: JobStatus): boolean {
  return isFinalStatus(status) || status === 'NEEDS_REVIEW';
}
