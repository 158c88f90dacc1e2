/**
 * The API's shapes (DESIGN §4), as zod schemas. They mirror
 * shared/docuflow/extraction/result.py and services/api/openapi.yaml; every response is
 * parsed with them, so a contract drift shows up as a clear error, not a blank screen.
 */
import { z } from 'zod';

export const JOB_STATUSES = [
  'CREATED',
  'UPLOADED',
  'PROCESSING',
  'COMPLETED',
  'NEEDS_REVIEW',
  'FAILED',
  'APPROVED',
  'REJECTED',
] as const;
export const jobStatusSchema = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof jobStatusSchema>;

/** Statuses at which processing has stopped (FAILED can still be retried by hand). */
export const FINAL_STATUSES: ReadonlySet<JobStatus> = new Set<JobStatus>([
  'COMPLETED',
  'APPROVED',
  'REJECTED',
  'FAILED',
]);

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
] as const;
export type FieldName = (typeof FIELD_NAMES)[number];
export const MONEY_FIELDS: ReadonlySet<string> = new Set([
  'subtotal',
  'tax_amount',
  'total_amount',
  'amount_due',
]);
export const DATE_FIELDS: ReadonlySet<string> = new Set(['document_date', 'due_date']);
export const REQUIRED_FIELDS: readonly string[] = [
  'vendor_name',
  'invoice_number',
  'document_date',
  'total_amount',
];

const confidence = z.number().min(0).max(100);
const page = z.number().int().min(1).nullable().optional();
export const fieldSourceSchema = z.enum(['expense', 'forms', 'tables', 'text']);

export const boundingBoxSchema = z.object({
  left: z.number(),
  top: z.number(),
  width: z.number(),
  height: z.number(),
});
export type BoundingBox = z.infer<typeof boundingBoxSchema>;

export const candidateSchema = z.object({
  value: z.string(),
  text: z.string(),
  confidence,
  page,
  bbox: boundingBoxSchema.nullable().optional(),
  source: fieldSourceSchema,
  label: z.string().nullable().optional(),
});
export type Candidate = z.infer<typeof candidateSchema>;

export const extractedFieldSchema = candidateSchema.extend({
  alternatives: z.array(candidateSchema).default([]),
});
export type ExtractedField = z.infer<typeof extractedFieldSchema>;

export const lineItemSchema = z.object({
  description: z.string().nullable().optional(),
  quantity: z.string().nullable().optional(),
  unit_price: z.string().nullable().optional(),
  amount: z.string().nullable().optional(),
  page,
  confidence,
  bbox: boundingBoxSchema.nullable().optional(),
  source: fieldSourceSchema,
});
export type LineItem = z.infer<typeof lineItemSchema>;

export const otherFieldSchema = z.object({
  key: z.string(),
  value: z.string(),
  confidence,
  page,
  bbox: boundingBoxSchema.nullable().optional(),
  source: fieldSourceSchema,
});
export type OtherField = z.infer<typeof otherFieldSchema>;

export const checkSchema = z.object({
  status: z.enum(['pass', 'fail', 'skipped']),
  message: z.string(),
  fields: z.array(z.string()).default([]),
});
export type Check = z.infer<typeof checkSchema>;

export const reviewReasonSchema = z.object({
  code: z.string(),
  field: z.string().nullable().optional(),
  message: z.string(),
});
export type ReviewReason = z.infer<typeof reviewReasonSchema>;

export const extractionResultSchema = z.object({
  document_type: z.enum(['invoice', 'receipt', 'other']),
  pages: z.number().int().min(0),
  fields: z.record(z.string(), extractedFieldSchema).default({}),
  line_items: z.array(lineItemSchema).default([]),
  other_fields: z.array(otherFieldSchema).default([]),
  checks: z.record(z.string(), checkSchema).default({}),
  routing: z.object({
    status: z.enum(['COMPLETED', 'NEEDS_REVIEW']),
    reasons: z.array(reviewReasonSchema).default([]),
  }),
  warnings: z.array(z.string()).default([]),
});
export type ExtractionResult = z.infer<typeof extractionResultSchema>;

export const jobSchema = z.object({
  job_id: z.string().min(1),
  status: jobStatusSchema,
  filename: z.string(),
  content_type: z.string(),
  size_bytes: z.number().int().nonnegative().nullable().optional(),
  owner_id: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
  attempt: z.number().int().nullable().optional(),
  failure_reason: z.string().nullable().optional(),
  file_sha256: z.string().nullable().optional(),
  invoice_key: z.string().nullable().optional(),
  /** Why the job is in review (services/api/openapi.yaml). */
  review_reasons: z.array(reviewReasonSchema).nullable().optional(),
  has_result: z.boolean().optional(),
  decision: z.enum(['APPROVE', 'REJECT']).nullable().optional(),
  reviewer: z.string().nullable().optional(),
  decision_reason: z.string().nullable().optional(),
  decided_at: z.string().nullable().optional(),
  corrections: z
    .record(z.string(), z.object({ before: z.string().nullable(), after: z.string() }))
    .nullable()
    .optional(),
});
export type Job = z.infer<typeof jobSchema>;

export function jobReasons(job: Job): ReviewReason[] {
  return job.review_reasons ?? [];
}

const RESULT_STATUSES: ReadonlySet<JobStatus> = new Set<JobStatus>(['COMPLETED', 'NEEDS_REVIEW', 'APPROVED', 'REJECTED']);

/** Whether GET /jobs/{id}/result has something to return. */
export function jobHasResult(job: Job): boolean {
  return job.has_result ?? RESULT_STATUSES.has(job.status);
}

export const jobPageSchema = z.object({
  items: z.array(jobSchema),
  next_cursor: z.string().nullable().optional(),
});
export type JobPage = z.infer<typeof jobPageSchema>;

export const auditEventSchema = z.object({
  event: z.string(),
  actor: z.string(),
  at: z.string(),
  details: z.record(z.string(), z.unknown()).nullable().optional(),
  // For a correction: {field: value} before and after (a plain value in older drafts).
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const auditPageSchema = z.object({
  items: z.array(auditEventSchema),
  next_cursor: z.string().nullable().optional(),
});

export const apiErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

export function isFinalStatus(status: JobStatus): boolean {
  return FINAL_STATUSES.has(status);
}

/** Nothing more happens without a person: final, or waiting in the review queue. */
export function isSettledStatus(status: JobStatus): boolean {
  return isFinalStatus(status) || status === 'NEEDS_REVIEW';
}
