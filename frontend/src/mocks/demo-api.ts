/**
 * The demo's back end: a thin in-memory API over the generated demo data (demo-data.ts).
 * Same paths, shapes (the generated schemas) and errors as services/api; jobs move
 * through the status model on a timer, so upload → processing → review → decision works
 * with no server. It judges no document: an upload "reads" one of the generated
 * documents and is routed exactly as the pipeline routed that document.
 */
import {
  createUploadRequestSchema,
  createWebhookRequestSchema,
  decisionRequestSchema,
  jobStatusSchema,
  rescoreRequestSchema,
  startRequestSchema,
  type AuditEvent,
  type CorrectedLineItem,
  type Delivery,
  type ExtractionResult,
  type Job,
  type JobStatus,
  type Rescored,
  type ReviewDetail,
  type UploadCreated,
  type Webhook,
  type TenantSettings,
  type User,
  inviteUserSchema,
  settingsUpdateSchema,
  userChangeSchema,
} from '@/types/api';
import { FIELD_NAMES, MONEY_FIELDS } from '@/types/domain';
import type { DemoData, DemoDocument } from './demo-data';
import { demoStats } from './demo-stats';

/** How long each step takes in the demo, in ms. */
export const DEMO_TIMING = { autoStart: 800, ocr: 1200, parse: 1600 };
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
const UPLOAD_URL_TTL_MS = 900_000;
const DOCUMENT_LINK_TTL_MS = 300_000;
// services/api/logic/uploads.py: accepted types and the spellings browsers also send.
const CONTENT_TYPES: ReadonlyMap<string, string> = new Map([
  ['application/pdf', 'application/pdf'],
  ['image/png', 'image/png'],
  ['image/jpeg', 'image/jpeg'],
  ['image/jpg', 'image/jpeg'],
  ['image/pjpeg', 'image/jpeg'],
  ['image/tiff', 'image/tiff'],
  ['application/xml', 'application/xml'],
  ['text/xml', 'text/xml'],
]);

export interface Answer {
  status: number;
  body: unknown;
}

/** A job, its audit trail, the generated document it reads, and its clock. */
interface Entry {
  job: Job;
  audit: AuditEvent[];
  document: string;
  uploadedAt?: number;
  startedAt?: number;
  ocrStarted?: boolean;
}

interface State {
  key: string;
  entries: Entry[];
  uploads: number;
}

export interface DemoApiOptions {
  /** The API's base URL; presigned upload URLs point under it. */
  baseUrl: string;
  /** Where the demo data folder is served (ending in "/"): documents are linked from there. */
  dataUrl: string;
  now?: () => number;
  /** Keeps the state across reloads (sessionStorage in the browser). */
  storage?: Storage | null;
  newId?: () => string;
  /** Who calls (the demo's role switch); a reviewer of the demo company by default. */
  caller?: () => DemoCaller;
}

/** The demo has no tokens: the caller is whoever the role switch picked. */
export interface DemoCaller {
  email: string;
  role: 'clerk' | 'reviewer' | 'admin';
}

const DEMO_TENANT = 'acme';
const DEFAULT_CALLER: DemoCaller = { email: 'reviewer@acme.test', role: 'reviewer' };
const forbidden = () => error(403, 'FORBIDDEN', 'This needs the reviewer role; you are a clerk.');

/** `utc_now()`: milliseconds, Z. */
const iso = (ms: number) => new Date(ms).toISOString();
/** Link expiry times are given to the second. */
const isoSeconds = (ms: number) => iso(ms).replace(/\.\d{3}Z$/, 'Z');
const error = (status: number, code: string, message: string): Answer => ({ status, body: { error: { code, message } } });
const notFound = (jobId: string) => error(404, 'JOB_NOT_FOUND', `No job with id '${jobId}'.`);
const executionName = (jobId: string, attempt: number) => (attempt === 1 ? jobId : `${jobId}-retry-${attempt}`);

const EMPTY_SUMMARY: Job['summary'] = {
  vendor_name: null,
  invoice_number: null,
  document_date: null,
  due_date: null,
  total_amount: null,
  currency: null,
};

/** services/common/scoring.py summary_of: the queue's values of a result. */
function summaryOf(result: ExtractionResult): Job['summary'] {
  const fields = result.fields ?? {};
  const value = (name: keyof Job['summary']) => fields[name]?.value ?? null;
  return {
    vendor_name: value('vendor_name'),
    invoice_number: value('invoice_number'),
    document_date: value('document_date'),
    due_date: value('due_date'),
    total_amount: value('total_amount'),
    currency: value('currency'),
  };
}

// services/api/logic/blocking.py: the result's checks an approval must override.
const BLOCKING_RESULT_CHECKS = ['totals_add_up', 'line_items_sum', 'required_fields'];
const DUPLICATE_REASONS = new Set(['DUPLICATE_INVOICE', 'DUPLICATE_FILE']);
// services/api: a corrected amount is one plain decimal (the minor units are the server's to check).
const PLAIN_DECIMAL = /^-?[0-9]+(\.[0-9]+)?$/;
const LINE_VALUES = ['description', 'quantity', 'unit_price', 'amount', 'tax_rate'] as const;
const QUEUE_SORTS = new Set(['-created_at', 'created_at', 'due_date', '-due_date', 'total_amount', '-total_amount', 'vendor_name', '-vendor_name']);

/** A secret in the Standard Webhooks form (the demo signs nothing with it). */
function demoSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

function issues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || 'body'}: ${issue.message}`).join('; ');
}

export class DemoApi {
  private state: State;
  private readonly documents: ReadonlyMap<string, DemoDocument>;
  private readonly now: () => number;
  private readonly storage: Storage | null;
  private readonly newId: () => string;
  private readonly caller: () => DemoCaller;

  constructor(
    private readonly data: DemoData,
    private readonly options: DemoApiOptions,
  ) {
    this.documents = new Map(data.documents.map((document) => [document.name, document]));
    this.now = options.now ?? Date.now;
    this.storage = options.storage ?? null;
    this.newId = options.newId ?? (() => crypto.randomUUID());
    this.caller = options.caller ?? (() => DEFAULT_CALLER);
    this.state = this.load() ?? this.seed();
  }

  // ------------------------------------------------------------ state

  /** The stored state belongs to this data only (a rebuilt demo starts afresh). */
  private get storageKey(): string {
    return `docuflow.demo:${this.data.seed}:${this.data.documents.map((d) => d.sha256.slice(0, 8)).join('')}`;
  }

  private seed(): State {
    const entries = this.data.jobs.map(({ job, audit, document }) => ({ job, audit, document }));
    return { key: this.storageKey, entries: structuredClone(entries), uploads: 0 };
  }

  private load(): State | null {
    try {
      const raw = this.storage?.getItem('docuflow.demo');
      const stored = raw ? (JSON.parse(raw) as State) : null;
      return stored?.key === this.storageKey ? stored : null;
    } catch {
      return null;
    }
  }

  private save(): void {
    try {
      this.storage?.setItem('docuflow.demo', JSON.stringify(this.state));
    } catch {
      // storage full or unavailable: the demo keeps working for this page
    }
  }

  private done(answer: Answer): Answer {
    this.save();
    return answer;
  }

  private document(entry: Entry): DemoDocument {
    const document = this.documents.get(entry.document);
    if (!document) throw new Error(`The demo data has no document ${entry.document}`);
    return document;
  }

  private find(jobId: string): Entry | undefined {
    const entry = this.state.entries.find((candidate) => candidate.job.job_id === jobId);
    if (entry) this.advance(entry);
    return entry;
  }

  // ------------------------------------------------------------ the pipeline, on a timer

  /** One conditional write: the changes, a new `updated_at` and the next version; a status
   * write stamps when processing started and ended, as the jobs table's does. */
  private write(entry: Entry, at: number, changes: Partial<Job>): void {
    const stamps: Partial<Job> = {};
    if (changes.status === 'PROCESSING') stamps.processing_started_at = iso(at);
    if (changes.status && entry.job.status === 'PROCESSING') stamps.processed_at = iso(at);
    entry.job = { ...entry.job, ...changes, ...stamps, updated_at: iso(at), version: entry.job.version + 1 };
  }

  private audit(entry: Entry, event: AuditEvent['event'], actor: string, at: number, details: Record<string, unknown>, change?: { before: Record<string, unknown>; after: Record<string, unknown> }): void {
    entry.audit.push({ event, actor, at: iso(at), details, before: change?.before ?? null, after: change?.after ?? null });
  }

  /** UPLOADED or FAILED → PROCESSING (services/common/processing.py). */
  private begin(entry: Entry, at: number, actor: string): void {
    const attempt = entry.job.status === 'FAILED' ? entry.job.attempt + 1 : entry.job.attempt;
    this.write(entry, at, { status: 'PROCESSING', attempt, failure_reason: null });
    entry.startedAt = at;
    entry.ocrStarted = false;
    this.audit(entry, attempt > 1 ? 'retried' : 'started', actor, at, {
      attempt,
      execution_name: executionName(entry.job.job_id, attempt),
    });
  }

  /** Moves a job along the state machine up to now, routed as its document was. */
  private advance(entry: Entry): void {
    const now = this.now();
    if (entry.job.status === 'UPLOADED' && entry.uploadedAt !== undefined && now >= entry.uploadedAt + DEMO_TIMING.autoStart) {
      this.begin(entry, entry.uploadedAt + DEMO_TIMING.autoStart, 'intake'); // what the S3 event does
    }
    const started = entry.startedAt;
    if (entry.job.status !== 'PROCESSING' || started === undefined) return;
    if (!entry.ocrStarted && now >= started + 100) {
      entry.ocrStarted = true;
      const ocrJobs = { document: `${entry.job.job_id}-${entry.job.attempt}` };
      this.write(entry, started + 100, {});
      this.audit(entry, 'ocr_started', 'workflow', started + 100, { mode: 'document', ocr_jobs: ocrJobs, attempt: entry.job.attempt });
    }
    const routedAt = started + DEMO_TIMING.ocr + DEMO_TIMING.parse;
    if (now < routedAt) return;
    const document = this.document(entry);
    const { result } = document;
    this.audit(entry, 'ocr_done', 'workflow', started + DEMO_TIMING.ocr, {
      ocr_pages: document.pages,
      pages: result.pages,
      document_type: result.document_type,
      fields: Object.keys(result.fields ?? {}).sort(),
    });
    const reasons = result.routing.reasons ?? [];
    this.write(entry, routedAt, {
      status: result.routing.status,
      invoice_key: document.invoice_key,
      review_reasons: reasons,
      has_result: true,
      read_from: 'textract',
      summary: summaryOf(result),
    });
    this.audit(entry, 'routed', 'workflow', routedAt, { status: result.routing.status, reasons: reasons.map((r) => r.code) });
  }

  // ------------------------------------------------------------ the API

  /** POST /uploads */
  createUpload(body: unknown): Answer {
    const declared = typeof body === 'object' && body !== null && 'content_type' in body ? body.content_type : undefined;
    if (typeof declared === 'string' && !CONTENT_TYPES.has(declared.split(';')[0]?.trim().toLowerCase() ?? '')) {
      // The API answers a type it does not take with 415, before the body's other checks.
      return error(415, 'UNSUPPORTED_MEDIA_TYPE', `Content type '${declared}' is not accepted; send a PDF, PNG, JPEG or TIFF document or e-invoice XML.`);
    }
    const parsed = createUploadRequestSchema.safeParse(body);
    if (!parsed.success) return error(400, 'VALIDATION_ERROR', issues(parsed.error));
    const { filename, size_bytes: size } = parsed.data;
    const owner = this.caller().email;
    if (/[/\\\p{Cc}]/u.test(filename) || filename.trim() === '' || filename === '.' || filename === '..') {
      return error(400, 'VALIDATION_ERROR', 'filename: use a plain file name without path separators or control characters.');
    }
    const contentType = CONTENT_TYPES.get(parsed.data.content_type.split(';')[0]?.trim().toLowerCase() ?? '');
    if (!contentType) {
      return error(415, 'UNSUPPORTED_MEDIA_TYPE', `Content type '${parsed.data.content_type}' is not accepted; send a PDF, PNG, JPEG or TIFF document or e-invoice XML.`);
    }
    if (size != null && size > MAX_UPLOAD_BYTES) {
      return error(413, 'DOCUMENT_TOO_LARGE', `The file is ${size} bytes; the limit is ${MAX_UPLOAD_BYTES} bytes.`);
    }
    const now = this.now();
    const reads = this.data.uploads_read[this.state.uploads % this.data.uploads_read.length] ?? this.data.uploads_read[0] ?? '';
    this.state.uploads += 1;
    const jobId = this.newId();
    const key = `raw/${DEMO_TENANT}/${jobId}/${filename}`;
    const entry: Entry = {
      document: reads,
      audit: [],
      job: {
        job_id: jobId,
        status: 'CREATED',
        tenant_id: DEMO_TENANT,
        uploaded_by: owner,
        filename,
        content_type: contentType,
        size_bytes: size ?? null,
        file_sha256: null,
        created_at: iso(now),
        updated_at: iso(now),
        processing_started_at: null,
        processed_at: null,
        version: 1,
        attempt: 1,
        failure_reason: null,
        invoice_key: null,
        review_reasons: [],
        has_result: false,
        decision: null,
        reviewer: null,
        decision_reason: null,
        decided_at: null,
        corrections: {},
        line_corrections: null,
        summary: EMPTY_SUMMARY,
        read_from: null,
      },
    };
    this.state.entries.push(entry);
    this.audit(entry, 'created', owner, now, { filename, content_type: contentType, size_bytes: size ?? null });
    const created: UploadCreated = {
      job_id: jobId,
      status: 'CREATED',
      upload_url: `${this.options.baseUrl}/demo-uploads/${encodeURIComponent(jobId)}`,
      upload_method: 'PUT',
      upload_headers: { 'Content-Type': contentType, 'If-None-Match': '*' },
      expires_at: isoSeconds(now + UPLOAD_URL_TTL_MS),
      key,
    };
    return this.done({ status: 201, body: created });
  }

  /** The presigned PUT: the object lands in the bucket, and its event marks the job UPLOADED. */
  receiveUpload(jobId: string, size: number, sha256: string | null): Answer {
    const entry = this.find(jobId);
    if (!entry) return { status: 404, body: 'NoSuchUpload' };
    if (entry.job.status !== 'CREATED') return { status: 412, body: 'PreconditionFailed' }; // If-None-Match: *
    const now = this.now();
    this.write(entry, now, { status: 'UPLOADED', size_bytes: size, file_sha256: sha256 });
    entry.uploadedAt = now;
    this.audit(entry, 'uploaded', 'intake', now, { size_bytes: size, file_sha256: sha256 });
    return this.done({ status: 200, body: '' });
  }

  /** POST /jobs/{job_id}/start */
  start(jobId: string, body: unknown): Answer {
    const entry = this.find(jobId);
    if (!entry) return notFound(jobId);
    const parsed = startRequestSchema.safeParse(body ?? {});
    if (!parsed.success) return error(400, 'VALIDATION_ERROR', issues(parsed.error));
    const actor = this.caller().email;
    const { status } = entry.job;
    if (status === 'CREATED') {
      return error(409, 'DOCUMENT_NOT_UPLOADED', `Upload the document first: nothing is stored for job ${jobId} yet.`);
    }
    if (status !== 'UPLOADED' && status !== 'FAILED') {
      return error(409, 'INVALID_TRANSITION', `A job in status ${status} cannot move to PROCESSING.`);
    }
    this.begin(entry, this.now(), actor);
    return this.done({ status: 202, body: entry.job });
  }

  /** GET /jobs/{job_id} */
  getJob(jobId: string): Answer {
    const entry = this.find(jobId);
    return entry ? this.done({ status: 200, body: entry.job }) : notFound(jobId);
  }

  private page(entries: Entry[], params: URLSearchParams, newestFirst = true): Answer {
    const limit = Number(params.get('limit') ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return error(400, 'VALIDATION_ERROR', 'limit: Input should be between 1 and 100');
    }
    const cursor = params.get('cursor');
    const offset = cursor === null ? 0 : Number.parseInt(cursor, 36);
    if (!Number.isInteger(offset) || offset < 0) return error(400, 'VALIDATION_ERROR', 'cursor: not a cursor this API gave out');
    const sorted = newestFirst ? [...entries].sort((a, b) => b.job.created_at.localeCompare(a.job.created_at)) : entries;
    const items = sorted.slice(offset, offset + limit).map((entry) => entry.job);
    const next = offset + limit < sorted.length ? (offset + limit).toString(36) : null;
    return this.done({ status: 200, body: { items, next_cursor: next } });
  }

  /** GET /jobs?status=: the demo is one company's workspace. */
  listJobs(params: URLSearchParams): Answer {
    this.state.entries.forEach((entry) => this.advance(entry));
    const rawStatus = params.get('status');
    const status = rawStatus === null ? null : jobStatusSchema.safeParse(rawStatus);
    if (status && !status.success) return error(400, 'VALIDATION_ERROR', `status: '${rawStatus ?? ''}' is not a job status`);
    const wanted: JobStatus | undefined = status?.data;
    return this.page(
      this.state.entries.filter((entry) => !wanted || entry.job.status === wanted),
      params,
    );
  }

  /** GET /stats: the GENERATED roll-up and the demo's queue (./demo-stats.ts). */
  stats(params: URLSearchParams): Answer {
    if (this.caller().role === 'clerk') return forbidden();
    this.state.entries.forEach((entry) => this.advance(entry));
    const day = (name: string) => {
      const raw = params.get(name);
      if (raw === null) return { ok: true as const, value: null };
      const valid = /^\d{4}-\d{2}-\d{2}$/.test(raw) && iso(Date.parse(raw)).startsWith(raw);
      return valid ? { ok: true as const, value: raw } : { ok: false as const, name, raw };
    };
    const from = day('from');
    const to = day('to');
    if (!from.ok) return error(400, 'VALIDATION_ERROR', `from: ${from.raw} is not a calendar date (YYYY-MM-DD).`);
    if (!to.ok) return error(400, 'VALIDATION_ERROR', `to: ${to.raw} is not a calendar date (YYYY-MM-DD).`);
    const end = to.value ?? iso(Date.parse(iso(this.now()).slice(0, 10)) + 86_400_000).slice(0, 10);
    const first = from.value ?? iso(Date.parse(end) - 30 * 86_400_000).slice(0, 10);
    if (end <= first) return error(400, 'VALIDATION_ERROR', 'to: must be after from (to is not included).');
    if (Date.parse(end) - Date.parse(first) > 366 * 86_400_000) return error(400, 'VALIDATION_ERROR', 'from, to: at most 366 days at a time.');
    const jobs = this.state.entries.map((entry) => entry.job);
    return { status: 200, body: demoStats(this.data, jobs, { from: first, to: end }, this.now()) };
  }

  /**
   * GET /vendors: the tenant's vendor memory as the data generator's run of the pipeline's
   * rules left it. Decisions made in the demo do not add to it.
   */
  listVendors(): Answer {
    if (this.caller().role === 'clerk') return forbidden();
    const items = this.data.vendors.filter((entry) => entry.tenant_id === DEMO_TENANT).map((entry) => entry.detail.vendor);
    return { status: 200, body: { items, next_cursor: null } };
  }

  /** GET /vendors/{vendor_id} */
  getVendor(vendorId: string): Answer {
    if (this.caller().role === 'clerk') return forbidden();
    const entry = this.data.vendors.find((candidate) => candidate.tenant_id === DEMO_TENANT && candidate.detail.vendor.vendor_id === vendorId);
    return entry ? { status: 200, body: entry.detail } : error(404, 'VENDOR_NOT_FOUND', `No vendor with id '${vendorId}'.`);
  }

  /** GET /review/jobs: sorted, filtered and searched as services/api/logic/review.py does. */
  reviewQueue(params: URLSearchParams): Answer {
    if (this.caller().role === 'clerk') return forbidden();
    this.state.entries.forEach((entry) => this.advance(entry));
    const sort = params.get('sort') ?? '-created_at';
    if (!QUEUE_SORTS.has(sort)) return error(400, 'VALIDATION_ERROR', `sort: '${sort}' is not one of ${[...QUEUE_SORTS].join(', ')}`);
    const amount = (name: string) => {
      const raw = params.get(name);
      return raw === null ? { ok: true as const, value: null } : PLAIN_DECIMAL.test(raw) ? { ok: true as const, value: Number(raw) } : { ok: false as const, name };
    };
    const min = amount('min_total');
    const max = amount('max_total');
    if (!min.ok || !max.ok) return error(400, 'VALIDATION_ERROR', `${!min.ok ? min.name : 'max_total'}: a plain decimal amount`);
    const reason = params.get('reason');
    const vendor = params.get('vendor')?.toLowerCase();
    const dueBefore = params.get('due_before');
    const search = params.get('q')?.toLowerCase();
    const matches = ({ job }: Entry) => {
      const { summary } = job;
      const total = summary.total_amount === null ? null : Number(summary.total_amount);
      const haystack = [job.job_id, job.filename, ...Object.values(summary).filter((v): v is string => v !== null)];
      return (
        job.status === 'NEEDS_REVIEW' &&
        (!reason || job.review_reasons.some((r) => r.code === reason)) &&
        (!vendor || summary.vendor_name?.toLowerCase() === vendor) &&
        (min.value === null || (total !== null && total >= min.value)) &&
        (max.value === null || (total !== null && total <= max.value)) &&
        (!dueBefore || (summary.due_date !== null && summary.due_date < dueBefore)) &&
        (!search || haystack.some((text) => text.toLowerCase().includes(search)))
      );
    };
    const name = sort.replace(/^-/, '') as 'created_at' | 'due_date' | 'total_amount' | 'vendor_name';
    const descending = sort.startsWith('-');
    const newestFirst = this.state.entries.filter(matches).sort((a, b) => b.job.created_at.localeCompare(a.job.created_at));
    let ordered: Entry[];
    if (name === 'created_at') {
      ordered = descending ? newestFirst : newestFirst.reverse();
    } else {
      const value = ({ job }: Entry): string | number | null => {
        const raw = job.summary[name];
        if (raw === null) return null;
        return name === 'total_amount' ? Number(raw) : name === 'vendor_name' ? raw.toLowerCase() : raw;
      };
      const known = newestFirst.filter((entry) => value(entry) !== null);
      const unknown = newestFirst.filter((entry) => value(entry) === null);
      known.sort((a, b) => {
        const [x, y] = [value(a) ?? '', value(b) ?? ''];
        const order = x < y ? -1 : x > y ? 1 : 0;
        return descending ? -order : order;
      });
      ordered = [...known, ...unknown];
    }
    return this.page(ordered, params, false);
  }

  /** GET /jobs/{job_id}/result: the stored result (corrections live on the job). */
  result(jobId: string): Answer {
    const entry = this.find(jobId);
    if (!entry) return notFound(jobId);
    if (!entry.job.has_result) {
      return error(409, 'RESULT_NOT_READY', `Job ${jobId} has no result yet (status ${entry.job.status}).`);
    }
    return this.done({ status: 200, body: this.document(entry).result });
  }

  private trail(entry: Entry): AuditEvent[] {
    return [...entry.audit].sort((a, b) => a.at.localeCompare(b.at));
  }

  /** GET /jobs/{job_id}/audit */
  auditTrail(jobId: string): Answer {
    const entry = this.find(jobId);
    if (!entry) return notFound(jobId);
    return this.done({ status: 200, body: { job_id: jobId, items: this.trail(entry) } });
  }

  /** GET /review/jobs/{job_id}: the link is to the generated document the job "read". */
  reviewJob(jobId: string): Answer {
    if (this.caller().role === 'clerk') return forbidden();
    const entry = this.find(jobId);
    if (!entry) return notFound(jobId);
    const document = this.document(entry);
    const detail: ReviewDetail = {
      job: entry.job,
      result: entry.job.has_result ? document.result : null,
      audit: this.trail(entry),
      document: {
        url: new URL(document.file, this.options.dataUrl).href,
        expires_at: isoSeconds(this.now() + DOCUMENT_LINK_TTL_MS),
        filename: document.file.split('/').pop() ?? document.file,
        content_type: document.content_type,
      },
    };
    return this.done({ status: 200, body: detail });
  }

  /**
   * The blocking checks as stored: the demo cannot run the pipeline's Python checks on
   * corrections, so it answers what the pipeline found when it read the document.
   */
  private blocking(entry: Entry): Rescored['blocking'] {
    const { checks = {} } = this.document(entry).result;
    const failed = BLOCKING_RESULT_CHECKS.flatMap((name) => {
      const check = checks[name];
      return check?.status === 'fail' ? [{ check: name, message: check.message, evidence: { fields: {} } }] : [];
    });
    const flagged = entry.job.review_reasons.filter((r) => DUPLICATE_REASONS.has(r.code)).map((r) => r.code);
    if (flagged.length) {
      failed.push({ check: 'possible_duplicate', message: `flagged ${flagged.join(' and ')} when it was read`, evidence: { fields: {} } });
    }
    return failed;
  }

  /** The corrections' values, checked as strictly as the API's shape (422 otherwise). */
  private badCorrection(fields: Record<string, unknown>, lines: CorrectedLineItem[] | null | undefined): Answer | null {
    const unknown = Object.keys(fields).find((name) => !(FIELD_NAMES as readonly string[]).includes(name));
    if (unknown) {
      return error(422, 'INVALID_CORRECTION', `'${unknown}' is not a field that can be corrected; use one of: ${FIELD_NAMES.join(', ')}.`);
    }
    for (const [name, value] of Object.entries(fields)) {
      if (typeof value !== 'string') return error(422, 'INVALID_CORRECTION', `${name}: ${JSON.stringify(value)} is not a string.`);
      if (MONEY_FIELDS.has(name) && !PLAIN_DECIMAL.test(value)) {
        return error(422, 'INVALID_CORRECTION', `${name}: '${value}' is not a plain decimal amount: write digits with a point before the decimals, e.g. 1234.50.`);
      }
    }
    for (const [index, line] of (lines ?? []).entries()) {
      for (const name of ['quantity', 'unit_price', 'amount', 'tax_rate'] as const) {
        const value = line[name];
        if (value !== undefined && !PLAIN_DECIMAL.test(value)) {
          return error(422, 'INVALID_CORRECTION', `corrected_line_items[${index}].${name}: ${JSON.stringify(value)} is not a plain decimal.`);
        }
      }
    }
    return null;
  }

  /** POST /review/jobs/{job_id}/rescore: in the demo, the stored checks (see `blocking`). */
  rescore(jobId: string, body: unknown): Answer {
    const parsed = rescoreRequestSchema.safeParse(body ?? {});
    if (!parsed.success) return error(400, 'VALIDATION_ERROR', issues(parsed.error));
    const entry = this.find(jobId);
    if (!entry) return notFound(jobId);
    if (entry.job.status !== 'NEEDS_REVIEW') {
      return error(409, 'INVALID_TRANSITION', `A job in status ${entry.job.status} cannot move to NEEDS_REVIEW.`);
    }
    const bad = this.badCorrection(parsed.data.corrected_fields ?? {}, parsed.data.corrected_line_items);
    if (bad) return bad;
    const { checks = {}, routing } = this.document(entry).result;
    const answer: Rescored = { checks, routing, blocking: this.blocking(entry) };
    return this.done({ status: 200, body: answer });
  }

  /** POST /review/jobs/{job_id}/decision (services/api/logic/review.py). */
  decide(jobId: string, body: unknown): Answer {
    const parsed = decisionRequestSchema.safeParse(body);
    if (!parsed.success) return error(400, 'VALIDATION_ERROR', issues(parsed.error));
    const entry = this.find(jobId);
    if (!entry) return notFound(jobId);
    if (this.caller().role === 'clerk') return forbidden();
    const { decision, reason, expected_version: expected } = parsed.data;
    // The demo company allows deciding on one's own uploads until its admin says otherwise.
    const reviewer = this.caller().email;
    if (!this.settings.allow_self_approval && entry.job.uploaded_by === reviewer) {
      return error(403, 'SELF_APPROVAL', 'You uploaded this document: another reviewer must decide on it.');
    }
    const target = decision === 'APPROVE' ? 'APPROVED' : 'REJECTED';
    if (entry.job.status !== 'NEEDS_REVIEW') {
      return error(409, 'INVALID_TRANSITION', `A job in status ${entry.job.status} cannot move to ${target}.`);
    }
    const corrected = Object.entries(parsed.data.corrected_fields ?? {});
    const correctedLines = parsed.data.corrected_line_items ?? null;
    const bad = this.badCorrection(parsed.data.corrected_fields ?? {}, correctedLines);
    if (bad) return bad;
    const overrideReason = parsed.data.override_reason ?? null;
    const blocking = decision === 'APPROVE' ? this.blocking(entry) : [];
    if (blocking.length && !overrideReason) {
      return error(
        409,
        'OVERRIDE_REQUIRED',
        `Approving this job passes ${blocking.length} failing check(s) that block an approval (${blocking.map((b) => `${b.check}: ${b.message}`).join('; ')}). Send an override_reason saying why it may be approved anyway; it is recorded in the audit with this evidence.`,
      );
    }
    const version = expected ?? entry.job.version;
    if (version !== entry.job.version) {
      return error(
        409,
        'CONCURRENT_UPDATE',
        `Job ${jobId} changed since it was read (version ${version}, now ${entry.job.version}); reload it and try again.`,
      );
    }
    const { fields = {}, line_items: readLines = [] } = this.document(entry).result;
    const corrections = Object.fromEntries(
      corrected.map(([name, value]) => [name, { before: fields[name]?.value ?? null, after: value }]),
    );
    const compact = (line: Record<string, unknown>, number: number | null) =>
      Object.fromEntries([
        ...(number === null ? [] : [['line', number]]),
        ...LINE_VALUES.flatMap((name) => (line[name] === undefined || line[name] === null ? [] : [[name, line[name]]])),
      ]) as Record<string, unknown>;
    const lineCorrections = correctedLines && {
      before: readLines.map((line, index) => compact(line, index + 1)),
      after: correctedLines.map((line) => compact(line, line.line ?? null)),
    };
    const now = this.now();
    const newVersion = version + 1;
    if (corrected.length || lineCorrections) {
      const before: Record<string, unknown> = Object.fromEntries(Object.entries(corrections).map(([name, c]) => [name, c.before]));
      const after: Record<string, unknown> = Object.fromEntries(Object.entries(corrections).map(([name, c]) => [name, c.after]));
      const names = Object.keys(corrections).sort();
      if (lineCorrections) {
        before.line_items = lineCorrections.before;
        after.line_items = lineCorrections.after;
        names.push('line_items');
      }
      this.audit(entry, 'corrected', reviewer, now, { fields: names }, { before, after });
    }
    this.write(entry, now, {
      status: target,
      decision,
      reviewer,
      decision_reason: reason ?? null,
      decided_at: iso(now),
      corrections,
      line_corrections: lineCorrections,
    });
    const details: Record<string, unknown> = { reason: reason ?? null, version: newVersion };
    if (overrideReason) details.override = { reason: overrideReason, checks: blocking };
    this.audit(entry, decision === 'APPROVE' ? 'approved' : 'rejected', reviewer, now, details);
    this.announce(entry.job);
    return this.done({ status: 200, body: entry.job });
  }

  // ------------------------------------------------------------ after the decision

  /** The demo's webhooks live in memory: a receiver cannot be reached from a browser
   * anyway, so every approval or rejection is logged as delivered at once. */
  private readonly webhooks: { webhook: Webhook; deliveries: Delivery[] }[] = [];

  // ------------------------------------------------------------ administration (ADR 0033)

  /** The demo company's settings and users, in memory (services/api/logic/admin.py). */
  private settings: TenantSettings = {
    tenant: DEMO_TENANT,
    allow_self_approval: true,
    confidence_thresholds: {},
    default_confidence_threshold: 80,
    default_field_thresholds: {},
    threshold_fields: [...FIELD_NAMES, 'line_items'],
    version: 0,
    updated_at: null,
    updated_by: null,
  };

  private readonly users: User[] = (['clerk', 'reviewer', 'admin'] as const).map((role) => ({
    username: `${role}@${DEMO_TENANT}.test`,
    email: `${role}@${DEMO_TENANT}.test`,
    role,
    enabled: true,
    status: 'CONFIRMED',
    created_at: '2026-11-01T09:00:00.000Z',
  }));

  private readonly adminAudit: AuditEvent[] = [];

  private recordAdmin(event: AuditEvent['event'], details: Record<string, unknown>, before: Record<string, unknown>, after: Record<string, unknown>): void {
    this.adminAudit.unshift({ event, actor: this.caller().email, at: iso(this.now()), details, before, after });
  }

  /** GET /settings */
  getSettings(): Answer {
    return this.adminOnly() ?? { status: 200, body: this.settings };
  }

  /** PUT /settings */
  putSettings(body: unknown): Answer {
    const refused = this.adminOnly();
    if (refused) return refused;
    const parsed = settingsUpdateSchema.safeParse(body);
    if (!parsed.success) return error(400, 'VALIDATION_ERROR', issues(parsed.error));
    const unknown = Object.keys(parsed.data.confidence_thresholds).filter((name) => !this.settings.threshold_fields.includes(name));
    if (unknown.length) return error(400, 'VALIDATION_ERROR', `confidence_thresholds: no such field: ${unknown.join(', ')}`);
    const expected = parsed.data.expected_version ?? this.settings.version;
    if (expected !== this.settings.version) {
      return error(409, 'CONCURRENT_UPDATE', `The settings changed since they were read (version ${expected}); reload them and try again.`);
    }
    const before = { allow_self_approval: this.settings.allow_self_approval, confidence_thresholds: this.settings.confidence_thresholds };
    const after = { allow_self_approval: parsed.data.allow_self_approval, confidence_thresholds: parsed.data.confidence_thresholds };
    this.settings = {
      ...this.settings,
      ...after,
      version: this.settings.version + 1,
      updated_at: iso(this.now()),
      updated_by: this.caller().email,
    };
    this.recordAdmin('settings_changed', { version: this.settings.version }, before, after);
    return { status: 200, body: this.settings };
  }

  /** GET /settings/audit */
  settingsAudit(): Answer {
    return this.adminOnly() ?? { status: 200, body: { items: this.adminAudit } };
  }

  /** GET /users */
  listUsers(): Answer {
    return this.adminOnly() ?? { status: 200, body: { items: [...this.users].sort((a, b) => a.email.localeCompare(b.email)) } };
  }

  /** POST /users */
  inviteUser(body: unknown): Answer {
    const refused = this.adminOnly();
    if (refused) return refused;
    const parsed = inviteUserSchema.safeParse(body);
    if (!parsed.success) return error(400, 'VALIDATION_ERROR', issues(parsed.error));
    const email = parsed.data.email.toLowerCase();
    if (this.users.some((u) => u.email === email)) return error(409, 'USER_EXISTS', `A user with the e-mail address ${email} exists already.`);
    const user: User = { username: email, email, role: parsed.data.role, enabled: true, status: 'FORCE_CHANGE_PASSWORD', created_at: iso(this.now()) };
    this.users.push(user);
    this.recordAdmin('user_invited', { username: email, email }, {}, { group: `${parsed.data.role}s`, enabled: true });
    return { status: 201, body: user };
  }

  /** PATCH /users/{username} */
  changeUser(username: string, body: unknown): Answer {
    const refused = this.adminOnly();
    if (refused) return refused;
    const parsed = userChangeSchema.safeParse(body);
    if (!parsed.success) return error(400, 'VALIDATION_ERROR', issues(parsed.error));
    const index = this.users.findIndex((u) => u.username === username);
    const user = this.users[index];
    if (!user) return error(404, 'USER_NOT_FOUND', `No user '${username}' in your company.`);
    const changed: User = { ...user, role: parsed.data.role ?? user.role, enabled: parsed.data.enabled ?? user.enabled };
    const losesAdmin = user.role === 'admin' && (changed.role !== 'admin' || !changed.enabled);
    const otherAdmin = this.users.some((u) => u.username !== username && u.role === 'admin' && u.enabled);
    if (user.email === this.caller().email && losesAdmin && !otherAdmin) {
      return error(409, 'LAST_ADMIN', 'You are the only enabled admin of your company: make someone else an admin before you give up the role or disable yourself.');
    }
    this.users[index] = changed;
    this.recordAdmin('user_changed', { username, email: user.email }, { role: user.role, enabled: user.enabled }, { role: changed.role, enabled: changed.enabled });
    return { status: 200, body: changed };
  }

  private adminOnly(): Answer | null {
    return this.caller().role === 'admin' ? null : error(403, 'FORBIDDEN', 'This needs the admin role.');
  }

  /** GET /webhooks */
  listWebhooks(): Answer {
    return this.adminOnly() ?? { status: 200, body: { items: this.webhooks.map((w) => w.webhook) } };
  }

  /** POST /webhooks: https only, as on AWS (the demo has no loopback receivers). */
  createWebhook(body: unknown): Answer {
    const refused = this.adminOnly();
    if (refused) return refused;
    const parsed = createWebhookRequestSchema.safeParse(body);
    if (!parsed.success) return error(400, 'VALIDATION_ERROR', issues(parsed.error));
    if (!parsed.data.url.startsWith('https://')) return error(422, 'INVALID_WEBHOOK_URL', 'Webhook URLs must use https.');
    const webhook: Webhook = {
      webhook_id: `wh_${this.newId().replace(/-/g, '').slice(0, 32).padEnd(32, '0')}`,
      url: parsed.data.url,
      events: [...new Set(parsed.data.events)].sort(),
      description: parsed.data.description ?? null,
      created_at: iso(this.now()),
      created_by: this.caller().email,
      rotated_at: null,
      previous_secret_expires_at: null,
    };
    this.webhooks.push({ webhook, deliveries: [] });
    return { status: 201, body: { ...webhook, secret: demoSecret() } };
  }

  private findWebhook(webhookId: string) {
    return this.webhooks.find((w) => w.webhook.webhook_id === webhookId);
  }

  /** DELETE /webhooks/{id} */
  deleteWebhook(webhookId: string): Answer {
    const refused = this.adminOnly();
    if (refused) return refused;
    const index = this.webhooks.findIndex((w) => w.webhook.webhook_id === webhookId);
    if (index < 0) return error(404, 'WEBHOOK_NOT_FOUND', `No webhook with id '${webhookId}'.`);
    this.webhooks.splice(index, 1);
    return { status: 204, body: null };
  }

  /** POST /webhooks/{id}/rotate */
  rotateWebhook(webhookId: string): Answer {
    const found = this.adminOnly() ? undefined : this.findWebhook(webhookId);
    if (!found) return this.adminOnly() ?? error(404, 'WEBHOOK_NOT_FOUND', `No webhook with id '${webhookId}'.`);
    const now = this.now();
    found.webhook = { ...found.webhook, rotated_at: iso(now), previous_secret_expires_at: iso(now + 86_400_000) };
    return { status: 200, body: { webhook_id: webhookId, secret: demoSecret(), previous_secret_expires_at: iso(now + 86_400_000) } };
  }

  /** GET /webhooks/{id}/deliveries */
  webhookDeliveries(webhookId: string): Answer {
    const found = this.adminOnly() ? undefined : this.findWebhook(webhookId);
    if (!found) return this.adminOnly() ?? error(404, 'WEBHOOK_NOT_FOUND', `No webhook with id '${webhookId}'.`);
    return { status: 200, body: { items: [...found.deliveries].reverse(), next_cursor: null } };
  }

  /** POST /webhooks/{id}/deliveries/{event_id}/retry: delivered again at once. */
  retryDelivery(webhookId: string, eventId: string): Answer {
    const found = this.adminOnly() ? undefined : this.findWebhook(webhookId);
    if (!found) return this.adminOnly() ?? error(404, 'WEBHOOK_NOT_FOUND', `No webhook with id '${webhookId}'.`);
    const delivery = found.deliveries.find((d) => d.event_id === eventId);
    if (!delivery) return error(404, 'DELIVERY_NOT_FOUND', `No delivery of event '${eventId}' to this webhook.`);
    delivery.attempts += 1;
    delivery.last_attempt_at = iso(this.now());
    return { status: 202, body: { ...delivery, status: 'pending' } };
  }

  private announce(job: Job): void {
    const type = `invoice.${job.status.toLowerCase()}`;
    const at = iso(this.now());
    for (const { webhook, deliveries } of this.webhooks) {
      if (!webhook.events.includes(type)) continue;
      deliveries.push({
        event_id: `${job.job_id}.${job.status.toLowerCase()}.v${job.version}`,
        event_type: type,
        status: 'delivered',
        attempts: 1,
        created_at: at,
        last_attempt_at: at,
        last_status_code: 200,
        last_error: null,
        next_attempt_at: null,
        delivered_at: at,
      });
    }
  }

  /** GET /exports?format=csv: the demo jobs as the API's CSV (a few columns fewer). */
  exportCsv(params: URLSearchParams): string {
    const status = params.get('status');
    const columns = ['job_id', 'status', 'filename', 'created_at', 'vendor_name', 'invoice_number', 'currency', 'total_amount'];
    const cell = (value: string) => {
      const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
      return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
    };
    const rows = this.state.entries
      .filter((entry) => !status || entry.job.status === status)
      .map((entry) => {
        const fields = this.document(entry).result.fields ?? {};
        const value = (name: string) => entry.job.corrections[name]?.after ?? fields[name]?.value ?? '';
        return [entry.job.job_id, entry.job.status, entry.job.filename, entry.job.created_at, value('vendor_name'), value('invoice_number'), value('currency'), value('total_amount')];
      });
    return [columns, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
  }
}
