import { describe, expect, it } from 'vitest';
import { demoData, demoScene } from '@/testing/demo-data';
import {
  auditTrailSchema,
  extractionResultSchema,
  jobPageSchema,
  jobSchema,
  rescoredSchema,
  reviewDetailSchema,
  uploadCreatedSchema,
  vendorDetailSchema,
  vendorPageSchema,
} from '@/types/api';
import { DEMO_TIMING, DemoApi } from './demo-api';

function clock(start = Date.parse('2026-03-20T09:00:00Z')) {
  let now = start;
  return { now: () => now, tick: (ms: number) => (now += ms) };
}

function demo(now?: () => number) {
  let ids = 0;
  return new DemoApi(demoData(), {
    baseUrl: 'http://api.test',
    dataUrl: 'http://web.test/demo/',
    now,
    newId: () => `job-${++ids}`,
  });
}

const bodyOf = (answer: { body: unknown }) => answer.body;
const events = (api: DemoApi, jobId: string) => auditTrailSchema.parse(bodyOf(api.auditTrail(jobId))).items.map((e) => e.event);

describe('the demo back end', () => {
  it('serves the vendor memory per tenant, with the bank change the generator routed to review', () => {
    const api = demo();
    const changed = demoScene('bank-change').job;
    const [reason] = changed.review_reasons;
    expect(reason?.code).toBe('BANK_DETAILS_CHANGED');
    const vendorId = String(reason?.evidence?.vendor_id);
    const listed = vendorPageSchema.parse(bodyOf(api.listVendors()));
    expect(listed.items.map((vendor) => vendor.vendor_id)).toEqual([vendorId]);
    const detail = vendorDetailSchema.parse(bodyOf(api.getVendor(vendorId)));
    expect(detail.vendor.accounts.map((account) => account.iban)).toEqual(reason?.evidence?.known_accounts);
    expect(api.getVendor('tax-nobody').status).toBe(404);
    const clerk = new DemoApi(demoData(), { baseUrl: 'http://api.test', dataUrl: 'http://web.test/demo/', caller: () => ({ email: 'clerk@acme.test', role: 'clerk' }) });
    expect(clerk.listVendors().status).toBe(403);
    expect(clerk.getVendor(vendorId).status).toBe(403);
  });

  it('serves the generated jobs, results and audit trails as they were written', () => {
    const api = demo();
    const data = demoData();
    for (const seeded of data.jobs) {
      expect(api.getJob(seeded.job.job_id)).toEqual({ status: 200, body: seeded.job });
      expect(bodyOf(api.auditTrail(seeded.job.job_id))).toEqual({ job_id: seeded.job.job_id, items: seeded.audit });
      const document = data.documents.find((d) => d.name === seeded.document);
      const result = api.result(seeded.job.job_id);
      if (seeded.job.has_result) expect(result).toEqual({ status: 200, body: document?.result });
      else expect(result.status).toBe(409);
    }
  });

  it('moves an upload through the status model and routes it as the pipeline routed the document it reads', () => {
    const time = clock();
    const api = demo(time.now);
    const created = api.createUpload({ filename: 'x.pdf', content_type: 'application/pdf', size_bytes: 10 });
    expect(created.status).toBe(201);
    const upload = uploadCreatedSchema.parse(bodyOf(created));
    expect(upload.upload_url).toBe(`http://api.test/demo-uploads/${upload.job_id}`);
    expect(api.start(upload.job_id, {}).status).toBe(409); // not uploaded yet
    expect(api.receiveUpload(upload.job_id, 10, 'ab'.repeat(32)).status).toBe(200);
    expect(api.receiveUpload(upload.job_id, 10, null).status).toBe(412); // If-None-Match: *
    expect(api.result(upload.job_id).status).toBe(409);

    // the S3 event starts it; a start by hand then finds it running
    time.tick(DEMO_TIMING.autoStart);
    expect(jobSchema.parse(bodyOf(api.getJob(upload.job_id))).status).toBe('PROCESSING');
    expect(api.start(upload.job_id, {}).status).toBe(409);

    time.tick(DEMO_TIMING.ocr + DEMO_TIMING.parse);
    const job = jobSchema.parse(bodyOf(api.getJob(upload.job_id)));
    const reads = demoData().documents.find((d) => d.name === demoData().uploads_read[0]);
    expect(job.status).toBe(reads?.result.routing.status);
    expect(job.review_reasons).toEqual(reads?.result.routing.reasons);
    expect(job.has_result).toBe(true);
    expect(bodyOf(api.result(upload.job_id))).toEqual(reads?.result);
    expect(events(api, upload.job_id)).toEqual(['created', 'uploaded', 'started', 'ocr_started', 'ocr_done', 'routed']);
  });

  it('links the review to the generated document the job read', () => {
    const api = demo();
    const scan = demoScene('scan');
    const detail = reviewDetailSchema.parse(bodyOf(api.reviewJob(scan.job.job_id)));
    expect(detail.document).toMatchObject({ url: `http://web.test/demo/${scan.document.file}`, content_type: 'image/png' });
    expect(detail.result).toEqual(extractionResultSchema.parse(scan.document.result));
    expect(detail.job).toEqual(scan.job);
  });

  it('checks uploads like the API: body, type and size', () => {
    const api = demo();
    const upload = (body: unknown) => api.createUpload(body).status;
    expect(upload({ filename: 'x.docx', content_type: 'application/msword' })).toBe(415); // a type the API does not take
    expect(upload({ filename: 'x.pdf', content_type: 'application/pdf', size_bytes: 30 * 1024 * 1024 })).toBe(413);
    expect(upload({ filename: '../x.pdf', content_type: 'application/pdf' })).toBe(400);
    expect(upload(null)).toBe(400);
    expect(upload({ filename: 'x.jpg', content_type: 'image/jpg' })).toBe(201);
  });

  it('lists the company’s jobs, by status, newest first, a page at a time', () => {
    const api = demo();
    const inReview = demoData().jobs.filter((j) => j.job.status === 'NEEDS_REVIEW').map((j) => j.job);
    const newestFirst = [...inReview].sort((a, b) => b.created_at.localeCompare(a.created_at)).map((j) => j.job_id);
    expect(api.listJobs(new URLSearchParams({ status: 'NOPE' })).status).toBe(400);
    expect(api.listJobs(new URLSearchParams({ status: 'NEEDS_REVIEW', limit: '0' })).status).toBe(400);
    const first = jobPageSchema.parse(bodyOf(api.listJobs(new URLSearchParams({ status: 'NEEDS_REVIEW', limit: '2' }))));
    const second = jobPageSchema.parse(
      bodyOf(api.listJobs(new URLSearchParams({ status: 'NEEDS_REVIEW', limit: '2', cursor: first.next_cursor ?? '' }))),
    );
    const queue = jobPageSchema.parse(bodyOf(api.reviewQueue(new URLSearchParams())));
    expect([...first.items, ...second.items].map((j) => j.job_id)).toEqual(newestFirst.slice(0, 4));
    expect(queue.items.map((j) => j.job_id)).toEqual(newestFirst);
    const all = jobPageSchema.parse(bodyOf(api.listJobs(new URLSearchParams({ limit: '100' }))));
    expect(all.items.length).toBe(demoData().jobs.length);
  });

  it('records a decision with its corrections once, and refuses a stale version (409) or an unknown field (422)', () => {
    const time = clock();
    const api = demo(time.now);
    const review = demoScene('review');
    const jobId = review.job.job_id;
    const version = review.job.version;
    const approve = (extra: Record<string, unknown>) =>
      api.decide(jobId, { decision: 'APPROVE', corrected_fields: {}, ...extra });

    expect(approve({ decision: 'MAYBE' }).status).toBe(400);
    expect(approve({ corrected_fields: { colour: 'red' }, expected_version: version }).status).toBe(422);
    expect(approve({ expected_version: version - 1 }).status).toBe(409);
    const ok = approve({ corrected_fields: { currency: 'USD' }, reason: 'Paid in dollars.', expected_version: version });
    expect(ok.status).toBe(200);
    const before = review.document.result.fields?.currency?.value ?? null;
    expect(jobSchema.parse(bodyOf(ok))).toMatchObject({
      status: 'APPROVED',
      decision: 'APPROVE',
      reviewer: 'reviewer@acme.test',
      decision_reason: 'Paid in dollars.',
      version: version + 1,
      corrections: { currency: { before, after: 'USD' } },
    });
    // a second decision, even at the new version, finds the job decided
    expect(api.decide(jobId, { decision: 'REJECT', expected_version: version + 1 }).status).toBe(409);

    const trail = auditTrailSchema.parse(bodyOf(api.auditTrail(jobId))).items;
    expect(trail.slice(-2)).toMatchObject([
      { event: 'corrected', actor: 'reviewer@acme.test', details: { fields: ['currency'] }, before: { currency: before }, after: { currency: 'USD' } },
      { event: 'approved', actor: 'reviewer@acme.test', details: { reason: 'Paid in dollars.', version: version + 1 } },
    ]);
    // the stored result is unchanged; the correction lives on the job, as in the API
    expect(bodyOf(api.result(jobId))).toEqual(review.document.result);
    expect(jobPageSchema.parse(bodyOf(api.reviewQueue(new URLSearchParams()))).items.map((j) => j.job_id)).not.toContain(jobId);
  });

  it('retries a failed job as a new attempt, which reads its document', () => {
    const time = clock();
    const api = demo(time.now);
    const failed = demoScene('failed');
    expect(failed.job.status).toBe('FAILED');
    const started = jobSchema.parse(bodyOf(api.start(failed.job.job_id, {})));
    expect(started).toMatchObject({ status: 'PROCESSING', attempt: 2, failure_reason: null });
    time.tick(DEMO_TIMING.ocr + DEMO_TIMING.parse);
    const job = jobSchema.parse(bodyOf(api.getJob(failed.job.job_id)));
    expect(job.status).toBe(failed.document.result.routing.status);
    expect(events(api, failed.job.job_id).slice(-4)).toEqual(['retried', 'ocr_started', 'ocr_done', 'routed']);
  });

  it('keeps its state across reloads in the given storage, for the same data only', () => {
    const storage = window.sessionStorage;
    const options = { baseUrl: 'http://api.test', dataUrl: 'http://web.test/demo/', storage };
    const first = new DemoApi(demoData(), options);
    expect(first.createUpload({ filename: 'kept.pdf', content_type: 'application/pdf' }).status).toBe(201);
    const reloaded = new DemoApi(demoData(), options);
    const kept = jobPageSchema.parse(bodyOf(reloaded.listJobs(new URLSearchParams())));
    expect(kept.items.map((j) => j.filename)).toContain('kept.pdf');
    const otherData = { ...demoData(), seed: demoData().seed + 1 };
    const fresh = new DemoApi(otherData, options);
    expect(jobPageSchema.parse(bodyOf(fresh.listJobs(new URLSearchParams()))).items.map((j) => j.filename)).not.toContain('kept.pdf');
  });

  it('sorts, filters and searches the queue as the API does', () => {
    const api = demo();
    const queue = (query: Record<string, string>) => {
      const answer = api.reviewQueue(new URLSearchParams(query));
      expect(answer.status).toBe(200);
      return jobPageSchema.parse(bodyOf(answer)).items;
    };
    const all = queue({});
    expect(all.length).toBeGreaterThanOrEqual(3);
    const dues = queue({ sort: 'due_date' }).map((j) => j.summary.due_date);
    const known = dues.filter((d): d is string => d !== null);
    expect(known).toEqual([...known].sort());
    expect(dues.slice(known.length).every((d) => d === null)).toBe(true);
    const vendor = all.find((j) => j.summary.vendor_name)?.summary.vendor_name ?? '';
    expect(vendor).not.toBe('');
    const byVendor = queue({ vendor: vendor.toUpperCase() });
    expect(byVendor.length).toBeGreaterThan(0);
    expect(byVendor.every((j) => j.summary.vendor_name === vendor)).toBe(true);
    expect(queue({ q: 'no such invoice anywhere' })).toEqual([]);
    expect(api.reviewQueue(new URLSearchParams({ sort: 'colour' })).status).toBe(400);
    expect(api.reviewQueue(new URLSearchParams({ min_total: '1,5' })).status).toBe(400);
  });

  it('answers a re-score with the stored checks, and refuses what the API refuses', () => {
    const api = demo();
    const review = demoScene('review');
    const answer = api.rescore(review.job.job_id, { corrected_fields: { currency: 'USD' } });
    expect(answer.status).toBe(200);
    const rescored = rescoredSchema.parse(bodyOf(answer));
    expect(rescored.checks).toEqual(review.document.result.checks);
    expect(api.rescore(review.job.job_id, { corrected_fields: { total_amount: '93,50' } }).status).toBe(422);
    expect(api.rescore(review.job.job_id, { corrected_line_items: [{ amount: '1.234,50' }] }).status).toBe(422);
    expect(api.rescore('nope', {}).status).toBe(404);
  });

  it('saves corrected line items and audits them before -> after', () => {
    const api = demo();
    const review = demoScene('review');
    const lines = [{ description: 'Consulting', quantity: '2', unit_price: '10.00', amount: '20.00' }];
    const ok = api.decide(review.job.job_id, {
      decision: 'REJECT',
      reviewer: 'r.ev',
      reason: 'Wrong lines',
      corrected_line_items: lines,
    });
    expect(ok.status).toBe(200);
    expect(jobSchema.parse(bodyOf(ok)).line_corrections?.after).toEqual(lines);
    const corrected = auditTrailSchema.parse(bodyOf(api.auditTrail(review.job.job_id))).items.find((e) => e.event === 'corrected');
    expect(corrected?.after).toEqual({ line_items: lines });
    expect(corrected?.details).toEqual({ fields: ['line_items'] });
  });
});
