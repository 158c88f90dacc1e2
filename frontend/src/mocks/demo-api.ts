/**
 * The demo back end: an in-memory imitation of the DocuFlow API (same paths, same
 * shapes, same errors) over GENERATED invoices. Jobs move through the real status
 * model on a timer, so upload → processing → review → approve works with no server.
 */
import {
  DATE_FIELDS,
  MONEY_FIELDS,
  REQUIRED_FIELDS,
  type AuditEvent,
  type Check,
  type ExtractionResult,
  type ExtractedField,
  type Job,
  type JobStatus,
  type ReviewReason,
} from '@/types/api';
import {
  DEMO_INVOICES,
  invoiceSpec,
  layoutInvoice,
  money,
  printedDate,
  printedMoney,
  subtotalOf,
  taxOf,
  type InvoiceLayout,
  type InvoiceSpec,
} from './invoices';

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
const ACCEPTED = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/tiff']);
const OWNER = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const CONFIDENCE_THRESHOLD = 80;
/** How long each step takes in the demo, in ms. */
export const DEMO_TIMING = { autoStart: 800, ocr: 1200, parse: 1600 };

export interface DemoJob extends Job {
  invoice: string; // key of the generated invoice the demo "reads"
  uploaded_at_ms?: number;
  started_at_ms?: number;
  fail_next?: boolean;
}

export interface DemoState {
  jobs: DemoJob[];
  audit: Record<string, AuditEvent[]>;
  uploads: number;
}

export interface Answer {
  status: number;
  body: unknown;
}

const error = (status: number, code: string, message: string): Answer => ({ status, body: { error: { code, message } } });
const iso = (ms: number) => new Date(ms).toISOString();

// ---------------------------------------------------------------- extraction

function confidenceFor(spec: InvoiceSpec, field: string, index: number): number {
  const doubt = spec.doubts?.[field];
  if (doubt) return doubt.confidence;
  return 94 + ((spec.key.length * 7 + index * 13) % 56) / 10; // 94.0 – 99.5, stable per field
}

function fieldValues(spec: InvoiceSpec): Record<string, { value: string; text: string }> {
  const subtotal = money(subtotalOf(spec));
  const tax = money(taxOf(spec));
  const total = spec.printedTotal ?? money(subtotalOf(spec) + taxOf(spec));
  const pairs: [string, string, string][] = [
    ['vendor_name', spec.vendorName, spec.vendorName],
    ['vendor_address', spec.vendorAddress.join(', '), spec.vendorAddress.join(', ')],
    ['vendor_tax_id', spec.vendorTaxId, spec.vendorTaxId],
    ['document_date', spec.issueDate, printedDate(spec.issueDate, spec.dateStyle)],
    ['due_date', spec.dueDate, printedDate(spec.dueDate, spec.dateStyle)],
    ['payment_terms', spec.paymentTerms, spec.paymentTerms],
    ['currency', spec.currency, spec.currency],
    ['subtotal', subtotal, printedMoney(subtotal, spec.currency)],
    ['tax_amount', tax, printedMoney(tax, spec.currency)],
    ['total_amount', total, printedMoney(total, spec.currency)],
    ['amount_due', total, printedMoney(total, spec.currency)],
    ['remit_to_name', spec.vendorName, spec.vendorName],
    ['remittance_email', spec.remitEmail, spec.remitEmail],
    ['bank_account', spec.bankAccount, spec.bankAccount],
  ];
  if (spec.invoiceNumber) pairs.push(['invoice_number', spec.invoiceNumber, spec.invoiceNumber]);
  if (spec.purchaseOrder) pairs.push(['purchase_order', spec.purchaseOrder, spec.purchaseOrder]);
  return Object.fromEntries(
    pairs.map(([name, value, text]) => [name, spec.doubts?.[name]?.readAs ?? { value, text }]),
  );
}

function checksFor(values: Record<string, string | undefined>, spec: InvoiceSpec): Record<string, Check> {
  const cents = (v: string | undefined) => (v === undefined ? null : Math.round(Number(v) * 100));
  const [sub, tax, total] = [cents(values.subtotal), cents(values.tax_amount), cents(values.total_amount)];
  const lines = spec.lines.reduce((sum, line) => sum + Math.round(line.quantity * line.unitPrice * 100), 0);
  const checks: Record<string, Check> = {};
  checks.totals_add_up =
    sub === null || tax === null || total === null
      ? { status: 'skipped', message: 'Subtotal, tax or total is missing, so they could not be added up.', fields: [] }
      : sub + tax === total
        ? { status: 'pass', message: 'Subtotal plus tax equals the total.', fields: ['subtotal', 'tax_amount', 'total_amount'] }
        : {
            status: 'fail',
            message: `Subtotal ${values.subtotal ?? ''} plus tax ${values.tax_amount ?? ''} is ${money((sub + tax) / 100)}, but the total says ${values.total_amount ?? ''}.`,
            fields: ['subtotal', 'tax_amount', 'total_amount'],
          };
  checks.line_items_sum =
    sub === null
      ? { status: 'skipped', message: 'No subtotal to compare the line items with.', fields: [] }
      : lines === sub
        ? { status: 'pass', message: 'The line items add up to the subtotal.', fields: ['subtotal'] }
        : { status: 'fail', message: 'The line items do not add up to the subtotal.', fields: ['subtotal'] };
  const issue = values.document_date;
  const due = values.due_date;
  checks.due_not_before_issue =
    issue && due
      ? due >= issue
        ? { status: 'pass', message: 'The due date is on or after the invoice date.', fields: ['document_date', 'due_date'] }
        : { status: 'fail', message: 'The due date is before the invoice date.', fields: ['document_date', 'due_date'] }
      : { status: 'skipped', message: 'An invoice or due date is missing.', fields: [] };
  checks.currency_known = /^[A-Z]{3}$/.test(values.currency ?? '')
    ? { status: 'pass', message: `${values.currency ?? ''} is a known currency.`, fields: ['currency'] }
    : { status: 'fail', message: 'The currency is not a known ISO 4217 code.', fields: ['currency'] };
  checks.possible_duplicate = { status: 'pass', message: 'No other invoice from this vendor has this number.', fields: [] };
  return checks;
}

function reasonsFor(spec: InvoiceSpec, values: Record<string, string | undefined>, checks: Record<string, Check>): ReviewReason[] {
  const reasons: ReviewReason[] = [];
  for (const field of REQUIRED_FIELDS) {
    if (!values[field]) {
      reasons.push({ code: 'MISSING_FIELD', field, message: `The ${field.replace(/_/g, ' ')} was not found on the document.` });
    }
  }
  for (const [field, doubt] of Object.entries(spec.doubts ?? {})) {
    if (doubt.confidence < CONFIDENCE_THRESHOLD) {
      reasons.push({
        code: 'LOW_CONFIDENCE',
        field,
        message: `The ${field.replace(/_/g, ' ')} was read with ${Math.round(doubt.confidence)}% confidence (below ${CONFIDENCE_THRESHOLD}%).`,
      });
    }
  }
  if (checks.totals_add_up?.status === 'fail') {
    reasons.push({ code: 'TOTALS_MISMATCH', field: 'total_amount', message: checks.totals_add_up.message });
  }
  return reasons;
}

/** Sync part of the "extraction": where the job goes. */
export function routingOf(spec: InvoiceSpec): ExtractionResult['routing'] {
  const values = Object.fromEntries(Object.entries(fieldValues(spec)).map(([k, v]) => [k, v.value]));
  const reasons = reasonsFor(spec, values, checksFor(values, spec));
  return { status: reasons.length ? 'NEEDS_REVIEW' : 'COMPLETED', reasons };
}

const layouts = new Map<string, Promise<InvoiceLayout>>();
export function invoiceLayout(key: string): Promise<InvoiceLayout> {
  let layout = layouts.get(key);
  if (!layout) {
    layout = layoutInvoice(invoiceSpec(key));
    layouts.set(key, layout);
  }
  return layout;
}

/** The normalized result the demo "extracts" from a generated invoice. */
export async function buildResult(spec: InvoiceSpec, corrections: Record<string, string> = {}): Promise<ExtractionResult> {
  const layout = await invoiceLayout(spec.key);
  const fields: Record<string, ExtractedField> = {};
  Object.entries(fieldValues(spec)).forEach(([name, { value, text }], index) => {
    const placed = layout.fields[name];
    fields[name] = {
      value,
      text,
      confidence: confidenceFor(spec, name, index),
      page: 1,
      bbox: placed?.bbox ?? null,
      source: 'expense',
      label: placed?.label ?? null,
      alternatives: (spec.doubts?.[name]?.alternatives ?? []).map((alt) => ({
        ...alt,
        page: 1,
        bbox: placed?.bbox ?? null,
        source: 'expense' as const,
      })),
    };
  });
  const values = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.value]));
  const checks = checksFor(values, spec);
  const reasons = reasonsFor(spec, values, checks);
  // After a review the stored result carries the reviewer's values.
  for (const [name, value] of Object.entries(corrections)) {
    const before = fields[name];
    fields[name] = before
      ? { ...before, value, confidence: 100 }
      : { value, text: value, confidence: 100, page: null, bbox: null, source: 'text', label: null, alternatives: [] };
  }
  return {
    document_type: 'invoice',
    pages: 1,
    fields,
    line_items: layout.lines.map((line, index) => ({
      description: line.description.text,
      quantity: line.quantity,
      unit_price: line.unitPrice,
      amount: line.amountValue,
      page: 1,
      confidence: 97 - index * 0.7,
      bbox: line.description.bbox,
      source: 'expense' as const,
    })),
    other_fields: [{ key: 'Bill to', value: 'DocuFlow Demo Buyer Ltd, Accounts Payable', confidence: 91.3, page: 1, bbox: null, source: 'forms' }],
    checks,
    routing: { status: reasons.length ? 'NEEDS_REVIEW' : 'COMPLETED', reasons },
    warnings: [],
  };
}

// ---------------------------------------------------------------- store

function validateCorrection(field: string, value: string): string | null {
  if (DATE_FIELDS.has(field) && !/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${field} must be an ISO date (YYYY-MM-DD)`;
  if (MONEY_FIELDS.has(field) && !/^-?\d+(\.\d{1,4})?$/.test(value)) return `${field} must be a decimal amount`;
  if (field === 'currency' && !/^[A-Z]{3}$/.test(value)) return 'currency must be a 3-letter ISO 4217 code';
  return null;
}

export class DemoApi {
  private state: DemoState;

  constructor(
    private readonly baseUrl: string,
    private readonly now: () => number = Date.now,
    private readonly storage: Storage | null = null,
  ) {
    this.state = this.load() ?? this.seed();
  }

  // ------------------------------------------------------------ persistence
  private load(): DemoState | null {
    try {
      const raw = this.storage?.getItem('docuflow.demo.v2');
      return raw ? (JSON.parse(raw) as DemoState) : null;
    } catch {
      return null;
    }
  }

  private save(): void {
    try {
      this.storage?.setItem('docuflow.demo.v2', JSON.stringify(this.state));
    } catch {
      // storage full or unavailable: the demo keeps working for this page
    }
  }

  private seed(): DemoState {
    const t = this.now();
    const hour = 3_600_000;
    const state: DemoState = { jobs: [], audit: {}, uploads: 0 };
    const add = (id: string, invoice: string, filename: string, owner: string, ageHours: number, status: JobStatus, extra: Partial<DemoJob> = {}) => {
      const created = t - ageHours * hour;
      const spec = invoiceSpec(invoice);
      const done = created + 14_000 + (ageHours % 3) * 9_000;
      const job: DemoJob = {
        job_id: id,
        status,
        filename,
        content_type: 'application/pdf',
        size_bytes: 48_000 + filename.length * 913,
        owner_id: owner,
        created_at: iso(created),
        updated_at: iso(done),
        version: 6,
        attempt: 1,
        invoice,
        failure_reason: null,
        review_reasons: status === 'FAILED' ? null : routingOf(spec).reasons,
        ...extra,
      };
      state.jobs.push(job);
      const events: AuditEvent[] = [
        { event: 'created', actor: owner, at: iso(created), details: { filename } },
        { event: 'uploaded', actor: 'system', at: iso(created + 2_000), details: { size_bytes: job.size_bytes } },
        { event: 'started', actor: 'system', at: iso(created + 2_500), details: { attempt: 1 } },
      ];
      if (status === 'FAILED') {
        events.push({ event: 'failed', actor: 'system', at: iso(done), details: { reason: extra.failure_reason } });
      } else {
        events.push(
          { event: 'ocr_started', actor: 'system', at: iso(created + 3_000), details: { api: 'expense' } },
          { event: 'ocr_done', actor: 'system', at: iso(done - 1_000), details: { pages: 1 } },
          { event: 'routed', actor: 'system', at: iso(done), details: { status: routingOf(spec).status, reasons: routingOf(spec).reasons.length } },
        );
      }
      state.audit[id] = events;
      return job;
    };
    add('demo-0001-northwind', 'northwind', 'northwind-NW-2026-0412.pdf', 'a.meyer', 30, 'COMPLETED');
    add('demo-0002-bluebird', 'bluebird', 'bluebird-march-freight.pdf', 'j.osei', 5, 'NEEDS_REVIEW');
    add('demo-0003-contoso', 'contoso', 'contoso-catering-5521.pdf', 'a.meyer', 3, 'NEEDS_REVIEW');
    add('demo-0004-fabrikam', 'fabrikam', 'fabrikam-FPC-30317.pdf', 'j.osei', 2, 'NEEDS_REVIEW');
    const approved = add('demo-0005-adatum', 'adatum', 'adatum-laptops.pdf', 'a.meyer', 50, 'APPROVED', {
      version: 8,
      decision: 'APPROVE',
      reviewer: 'm.rossi',
      decision_reason: 'Matches the purchase order.',
      decided_at: iso(t - 46 * hour),
    });
    state.audit[approved.job_id]?.push({
      event: 'approved',
      actor: 'm.rossi',
      at: iso(t - 46 * hour),
      details: { reason: 'Matches the purchase order.', version: 8 },
    });
    add('demo-0006-scan', 'northwind', 'scan-0007.pdf', 'j.osei', 8, 'FAILED', {
      failure_reason: 'The PDF is password-protected, so it could not be read. Upload an unprotected copy.',
      review_reasons: null,
    });
    const rejected = add('demo-0007-tailspin', 'tailspin', 'tailspin-march-cleaning.pdf', 'a.meyer', 26, 'REJECTED', {
      version: 8,
      decision: 'REJECT',
      reviewer: 'm.rossi',
      decision_reason: 'No invoice number; asked the vendor for a corrected invoice.',
      decided_at: iso(t - 25 * hour),
    });
    state.audit[rejected.job_id]?.push({
      event: 'rejected',
      actor: 'm.rossi',
      at: iso(t - 25 * hour),
      details: { reason: 'No invoice number; asked the vendor for a corrected invoice.', version: 8 },
    });
    return state;
  }

  // ------------------------------------------------------------ time passes
  private audit(jobId: string, event: string, actor: string, at: number, details: Record<string, unknown> = {}, change?: { before: unknown; after: unknown }): void {
    const list = (this.state.audit[jobId] ??= []);
    list.push({ event, actor, at: iso(at), details, ...(change ?? {}) });
  }

  private setStatus(job: DemoJob, status: JobStatus, at: number): void {
    job.status = status;
    job.updated_at = iso(at);
    job.version += 1;
  }

  private begin(job: DemoJob, at: number): void {
    job.started_at_ms = at;
    this.setStatus(job, 'PROCESSING', at);
    this.audit(job.job_id, 'started', 'system', at, { attempt: job.attempt ?? 1 });
  }

  /** Moves a job along the pipeline up to `now`. */
  private advance(job: DemoJob): void {
    const now = this.now();
    if (job.status === 'UPLOADED' && job.uploaded_at_ms !== undefined && now >= job.uploaded_at_ms + DEMO_TIMING.autoStart) {
      this.begin(job, job.uploaded_at_ms + DEMO_TIMING.autoStart); // what the S3 event does
    }
    const startedAt = job.started_at_ms;
    if (job.status === 'PROCESSING' && startedAt !== undefined) {
      const ocrDone = startedAt + DEMO_TIMING.ocr;
      const routed = ocrDone + DEMO_TIMING.parse;
      const events = this.state.audit[job.job_id] ?? [];
      if (now >= startedAt + 100 && !events.some((e) => e.event === 'ocr_started' && Date.parse(e.at) >= startedAt)) {
        this.audit(job.job_id, 'ocr_started', 'system', startedAt + 100, { api: 'expense' });
      }
      if (now >= routed) {
        if (job.fail_next) {
          job.fail_next = false;
          job.failure_reason = 'Text recognition gave up on this document (demo failure). Retry to run it again.';
          this.setStatus(job, 'FAILED', routed);
          this.audit(job.job_id, 'failed', 'system', routed, { reason: job.failure_reason });
          return;
        }
        const routing = routingOf(invoiceSpec(job.invoice));
        this.audit(job.job_id, 'ocr_done', 'system', ocrDone, { pages: 1 });
        job.review_reasons = routing.reasons;
        job.failure_reason = null;
        this.setStatus(job, routing.status, routed);
        this.audit(job.job_id, 'routed', 'system', routed, { status: routing.status, reasons: routing.reasons.length });
      }
    }
  }

  private find(jobId: string): DemoJob | undefined {
    const job = this.state.jobs.find((candidate) => candidate.job_id === jobId);
    if (job) this.advance(job);
    return job;
  }

  private publicJob(job: DemoJob): Job {
    const { invoice: _invoice, uploaded_at_ms: _u, started_at_ms: _s, fail_next: _f, ...rest } = job;
    return {
      ...rest,
      review_reasons: rest.review_reasons ?? [],
      has_result: ['COMPLETED', 'NEEDS_REVIEW', 'APPROVED', 'REJECTED'].includes(job.status),
      corrections: rest.corrections ?? {},
    };
  }

  private correctedValues(job: DemoJob): Record<string, string> {
    return Object.fromEntries(Object.entries(job.corrections ?? {}).map(([name, c]) => [name, c.after]));
  }

  private done<T>(answer: T): T {
    this.save();
    return answer;
  }

  // ------------------------------------------------------------ API
  createUpload(body: unknown): Answer {
    const input = (body ?? {}) as Record<string, unknown>;
    const { filename, content_type: contentType, owner_id: owner, size_bytes: size } = input;
    if (typeof filename !== 'string' || filename.trim() === '' || filename.length > 255) {
      return error(400, 'VALIDATION_FAILED', 'filename is required (1-255 characters).');
    }
    if (typeof owner !== 'string' || !OWNER.test(owner)) return error(400, 'VALIDATION_FAILED', 'owner_id is missing or has characters that are not allowed.');
    if (typeof contentType !== 'string' || !ACCEPTED.has(contentType)) {
      return error(415, 'UNSUPPORTED_DOCUMENT', 'Only PDF, PNG, JPEG and TIFF documents can be processed.');
    }
    if (size !== undefined && (typeof size !== 'number' || size <= 0)) return error(400, 'VALIDATION_FAILED', 'size_bytes must be a positive number.');
    if (typeof size === 'number' && size > MAX_UPLOAD_BYTES) {
      return error(413, 'DOCUMENT_TOO_LARGE', 'The document is larger than 20 MiB.');
    }
    const now = this.now();
    this.state.uploads += 1;
    const cycle = ['bluebird', 'contoso', 'fabrikam', 'northwind', 'tailspin', 'adatum'];
    const invoice = cycle[(this.state.uploads - 1) % cycle.length] ?? 'bluebird';
    const jobId = `demo-${now.toString(36)}-${this.state.uploads}`;
    const job: DemoJob = {
      job_id: jobId,
      status: 'CREATED',
      filename,
      content_type: contentType,
      size_bytes: typeof size === 'number' ? size : null,
      owner_id: owner,
      created_at: iso(now),
      updated_at: iso(now),
      version: 1,
      attempt: 1,
      invoice,
      failure_reason: null,
      review_reasons: null,
      // A file whose name says "fail" shows the failure path in the demo.
      fail_next: /fail/i.test(filename),
    };
    this.state.jobs.unshift(job);
    this.audit(jobId, 'created', owner, now, { filename, content_type: contentType });
    return this.done({
      status: 201,
      body: {
        job_id: jobId,
        status: 'CREATED',
        upload_url: `${this.baseUrl}/demo-uploads/${jobId}`,
        upload_method: 'PUT',
        upload_headers: { 'Content-Type': contentType, 'If-None-Match': '*' },
        key: `raw/${owner}/${jobId}/${filename}`,
        expires_at: iso(now + 900_000),
      },
    });
  }

  receiveUpload(jobId: string, bytes: number): Answer {
    const job = this.find(jobId);
    if (!job) return { status: 404, body: 'NoSuchUpload' };
    if (job.status !== 'CREATED') return { status: 200, body: '' };
    const now = this.now();
    if (job.size_bytes != null && bytes !== job.size_bytes) {
      return { status: 400, body: `Size ${bytes} does not match the ${job.size_bytes} bytes announced` };
    }
    job.uploaded_at_ms = now;
    this.setStatus(job, 'UPLOADED', now);
    this.audit(jobId, 'uploaded', 'system', now, { size_bytes: bytes });
    return this.done({ status: 200, body: '' });
  }

  start(jobId: string): Answer {
    const job = this.find(jobId);
    if (!job) return error(404, 'JOB_NOT_FOUND', `No job ${jobId}.`);
    const now = this.now();
    if (job.status === 'UPLOADED') {
      this.begin(job, now);
    } else if (job.status === 'FAILED') {
      job.attempt = (job.attempt ?? 1) + 1;
      this.audit(jobId, 'retried', 'system', now, { attempt: job.attempt });
      this.begin(job, now);
    } else {
      return error(409, 'INVALID_TRANSITION', `The job is ${job.status} and cannot be started.`);
    }
    return this.done({ status: 202, body: this.publicJob(job) });
  }

  getJob(jobId: string): Answer {
    const job = this.find(jobId);
    return job ? this.done({ status: 200, body: this.publicJob(job) }) : error(404, 'JOB_NOT_FOUND', `No job ${jobId}.`);
  }

  private page(jobs: DemoJob[], limitRaw: string | null, cursor: string | null): Answer {
    const limit = limitRaw === null ? 25 : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return error(400, 'VALIDATION_FAILED', 'limit must be 1-100.');
    let offset = 0;
    if (cursor) {
      offset = Number(atob(cursor));
      if (!Number.isInteger(offset) || offset < 0) return error(400, 'VALIDATION_FAILED', 'cursor is not valid.');
    }
    const sorted = [...jobs].sort((a, b) => b.created_at.localeCompare(a.created_at));
    const items = sorted.slice(offset, offset + limit).map((job) => this.publicJob(job));
    const next = offset + limit < sorted.length ? btoa(String(offset + limit)) : null;
    return this.done({ status: 200, body: { items, next_cursor: next } });
  }

  listJobs(params: URLSearchParams): Answer {
    for (const job of this.state.jobs) this.advance(job);
    const owner = params.get('owner_id');
    const status = params.get('status');
    if (!owner && !status) return error(400, 'VALIDATION_FAILED', 'Give owner_id, status or both.');
    const jobs = this.state.jobs.filter((job) => (!owner || job.owner_id === owner) && (!status || job.status === status));
    return this.page(jobs, params.get('limit'), params.get('cursor'));
  }

  reviewQueue(params: URLSearchParams): Answer {
    for (const job of this.state.jobs) this.advance(job);
    return this.page(
      this.state.jobs.filter((job) => job.status === 'NEEDS_REVIEW'),
      params.get('limit'),
      params.get('cursor'),
    );
  }

  async result(jobId: string): Promise<Answer> {
    const job = this.find(jobId);
    if (!job) return error(404, 'JOB_NOT_FOUND', `No job ${jobId}.`);
    if (!['COMPLETED', 'NEEDS_REVIEW', 'APPROVED', 'REJECTED'].includes(job.status)) {
      return error(409, 'RESULT_NOT_READY', `The job is ${job.status}; the result is not ready yet.`);
    }
    return this.done({ status: 200, body: await buildResult(invoiceSpec(job.invoice), this.correctedValues(job)) });
  }

  auditOf(jobId: string): Answer {
    const job = this.find(jobId);
    if (!job) return error(404, 'JOB_NOT_FOUND', `No job ${jobId}.`);
    const items = [...(this.state.audit[jobId] ?? [])].sort((a, b) => a.at.localeCompare(b.at));
    return this.done({ status: 200, body: { job_id: jobId, items } });
  }

  async reviewJob(jobId: string): Promise<Answer> {
    const job = this.find(jobId);
    if (!job) return error(404, 'JOB_NOT_FOUND', `No job ${jobId}.`);
    const ready = ['COMPLETED', 'NEEDS_REVIEW', 'APPROVED', 'REJECTED'].includes(job.status);
    return this.done({
      status: 200,
      body: {
        job: this.publicJob(job),
        result: ready ? await buildResult(invoiceSpec(job.invoice), this.correctedValues(job)) : null,
        audit: [...(this.state.audit[jobId] ?? [])].sort((a, b) => a.at.localeCompare(b.at)),
        // Demo mode always shows the generated invoice it "read", whatever was uploaded.
        document: {
          url: `${this.baseUrl}/demo-documents/${jobId}.pdf`,
          expires_at: iso(this.now() + 300_000),
          filename: `${job.invoice}-generated.pdf`,
          content_type: 'application/pdf',
        },
      },
    });
  }

  async document(jobId: string): Promise<Uint8Array | null> {
    const job = this.find(jobId);
    return job ? (await invoiceLayout(job.invoice)).pdf : null;
  }

  decide(jobId: string, body: unknown): Answer {
    const job = this.find(jobId);
    if (!job) return error(404, 'JOB_NOT_FOUND', `No job ${jobId}.`);
    const input = (body ?? {}) as Record<string, unknown>;
    const { decision, reviewer, reason, expected_version: expected } = input;
    const corrected = (input.corrected_fields ?? {}) as Record<string, unknown>;
    if (decision !== 'APPROVE' && decision !== 'REJECT') return error(422, 'VALIDATION_FAILED', 'decision must be APPROVE or REJECT.');
    if (typeof reviewer !== 'string' || !OWNER.test(reviewer)) return error(422, 'VALIDATION_FAILED', 'reviewer is required.');
    if (decision === 'REJECT' && (typeof reason !== 'string' || reason.trim() === '')) {
      return error(422, 'VALIDATION_FAILED', 'A rejection needs a reason.');
    }
    for (const [field, value] of Object.entries(corrected)) {
      if (typeof value !== 'string') return error(422, 'VALIDATION_FAILED', `${field} must be a string.`);
      const problem = validateCorrection(field, value);
      if (problem) return error(422, 'VALIDATION_FAILED', problem);
    }
    if (job.status !== 'NEEDS_REVIEW' || (typeof expected === 'number' && expected !== job.version)) {
      return error(409, 'CONCURRENT_UPDATE', 'The job was changed by someone else; reload it and decide again.');
    }
    const now = this.now();
    const found = Object.fromEntries(Object.entries(fieldValues(invoiceSpec(job.invoice))).map(([k, v]) => [k, v.value]));
    const changes = Object.entries(corrected as Record<string, string>);
    job.corrections = Object.fromEntries(changes.map(([field, after]) => [field, { before: found[field] ?? null, after }]));
    const status = decision === 'APPROVE' ? 'APPROVED' : 'REJECTED';
    this.setStatus(job, status, now);
    job.decision = decision;
    job.reviewer = reviewer;
    job.decision_reason = typeof reason === 'string' && reason !== '' ? reason : null;
    job.decided_at = iso(now);
    if (changes.length) {
      this.audit(
        jobId,
        'corrected',
        reviewer,
        now,
        { fields: changes.map(([field]) => field).sort() },
        {
          before: Object.fromEntries(changes.map(([field]) => [field, found[field] ?? null])),
          after: Object.fromEntries(changes),
        },
      );
    }
    this.audit(jobId, decision === 'APPROVE' ? 'approved' : 'rejected', reviewer, now + 1, {
      reason: job.decision_reason,
      version: job.version,
    });
    return this.done({ status: 200, body: this.publicJob(job) });
  }
}

export { DEMO_INVOICES };
