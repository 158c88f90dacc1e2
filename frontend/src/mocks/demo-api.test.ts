import { describe, expect, it } from 'vitest';
import { DEMO_TIMING, DemoApi } from './demo-api';

interface Body {
  [key: string]: unknown;
}
const body = (answer: { body: unknown }) => answer.body as Body;

function clock(start = Date.parse('2026-03-20T09:00:00Z')) {
  let now = start;
  return { now: () => now, tick: (ms: number) => (now += ms) };
}

describe('the demo back end', () => {
  it('moves an upload through the real status model and routes it to review', async () => {
    const time = clock();
    const demo = new DemoApi('http://demo', time.now);
    const created = demo.createUpload({ filename: 'x.pdf', content_type: 'application/pdf', owner_id: 'a.b', size_bytes: 10 });
    expect(created.status).toBe(201);
    const jobId = String(body(created).job_id);
    expect(body(demo.getJob(jobId)).status).toBe('CREATED');
    expect(demo.receiveUpload(jobId, 9).status).toBe(400); // size differs from what was announced
    expect(demo.receiveUpload(jobId, 10).status).toBe(200);
    expect(body(demo.getJob(jobId)).status).toBe('UPLOADED');
    expect((await demo.result(jobId)).status).toBe(409);
    expect(demo.start(jobId).status).toBe(202);
    expect(demo.start(jobId).status).toBe(409); // already running
    time.tick(DEMO_TIMING.ocr + DEMO_TIMING.parse);
    const job = body(demo.getJob(jobId));
    expect(job.status).toBe('NEEDS_REVIEW');
    expect(job.review_reasons).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'LOW_CONFIDENCE', field: 'total_amount' })]));
    const events = (body(demo.auditOf(jobId)).items as { event: string }[]).map((e) => e.event);
    expect(events).toEqual(['created', 'uploaded', 'started', 'ocr_started', 'ocr_done', 'routed']);
  });

  it('checks uploads like the API: type, size and owner', () => {
    const demo = new DemoApi('http://demo');
    expect(demo.createUpload({ filename: 'x.docx', content_type: 'application/msword', owner_id: 'a' }).status).toBe(415);
    expect(demo.createUpload({ filename: 'x.pdf', content_type: 'application/pdf', owner_id: 'a', size_bytes: 30 * 1024 * 1024 }).status).toBe(413);
    expect(demo.createUpload({ filename: 'x.pdf', content_type: 'application/pdf', owner_id: 'a b' }).status).toBe(400);
  });

  it('lists by owner or status, newest first, with a cursor', () => {
    const demo = new DemoApi('http://demo');
    expect(demo.listJobs(new URLSearchParams()).status).toBe(400);
    const first = body(demo.listJobs(new URLSearchParams({ status: 'NEEDS_REVIEW', limit: '2' })));
    expect((first.items as unknown[]).length).toBe(2);
    const second = body(demo.listJobs(new URLSearchParams({ status: 'NEEDS_REVIEW', limit: '2', cursor: String(first.next_cursor) })));
    expect((second.items as unknown[]).length).toBe(1);
    expect(second.next_cursor).toBeNull();
  });

  it('records a decision with its corrections once, and refuses a second (409) or a bad value (422)', async () => {
    const demo = new DemoApi('http://demo');
    const jobId = 'demo-0002-bluebird';
    const version = Number(body(demo.getJob(jobId)).version);
    const bad = demo.decide(jobId, { decision: 'APPROVE', reviewer: 'r', corrected_fields: { due_date: '9 April' }, expected_version: version });
    expect(bad.status).toBe(422);
    const stale = demo.decide(jobId, { decision: 'APPROVE', reviewer: 'r', corrected_fields: {}, expected_version: version - 1 });
    expect(stale.status).toBe(409);
    const ok = demo.decide(jobId, { decision: 'APPROVE', reviewer: 'r', corrected_fields: { total_amount: '1615.68' }, expected_version: version });
    expect(ok.status).toBe(200);
    expect(body(ok)).toMatchObject({ status: 'APPROVED', decision: 'APPROVE', corrections: { total_amount: { before: '1815.68', after: '1615.68' } } });
    expect(demo.decide(jobId, { decision: 'REJECT', reviewer: 'q', reason: 'x', expected_version: version + 1 }).status).toBe(409);
    const corrected = (body(demo.auditOf(jobId)).items as Body[]).find((e) => e.event === 'corrected');
    expect(corrected).toMatchObject({ actor: 'r', before: { total_amount: '1815.68' }, after: { total_amount: '1615.68' } });
    const result = body(await demo.result(jobId));
    expect((result.fields as Record<string, Body>).total_amount).toMatchObject({ value: '1615.68' });
  });

  it('draws a real PDF whose field boxes lie on the page', async () => {
    const demo = new DemoApi('http://demo');
    const pdf = await demo.document('demo-0001-northwind');
    expect(pdf && new TextDecoder().decode(pdf.slice(0, 5))).toBe('%PDF-');
    const result = body(await demo.result('demo-0001-northwind'));
    for (const field of Object.values(result.fields as Record<string, { bbox: Record<string, number> | null }>)) {
      if (!field.bbox) continue;
      const { left = -1, top = -1, width = 0, height = 0 } = field.bbox;
      expect(left).toBeGreaterThanOrEqual(0);
      expect(top).toBeGreaterThanOrEqual(0);
      expect(left + width).toBeLessThanOrEqual(1);
      expect(top + height).toBeLessThanOrEqual(1);
    }
    expect((result.routing as Body).status).toBe('COMPLETED');
  });
});
