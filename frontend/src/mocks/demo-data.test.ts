import { describe, expect, it } from 'vitest';
import { demoData } from '@/testing/demo-data';
import { DemoDataError, loadDemoData, parseDemoData } from './demo-data';

const answer = (body: unknown, init: ResponseInit = {}) =>
  Promise.resolve(new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' }, ...init }));

describe('the demo data', () => {
  it('is generated, and every job, result and audit record has the API’s shape', () => {
    const data = demoData();
    expect(data.generated).toBe(true);
    expect(data.jobs.length).toBeGreaterThan(0);
    expect(new Set(data.jobs.map((j) => j.job.status))).toEqual(
      new Set(['COMPLETED', 'NEEDS_REVIEW', 'APPROVED', 'REJECTED', 'FAILED']),
    );
  });

  it('is refused with the place of the first mismatch when it does not match the API', () => {
    const data = demoData();
    const broken = structuredClone(data) as unknown as { jobs: { job: { status: string } }[] };
    const first = broken.jobs[0];
    if (first) first.job.status = 'LOST';
    expect(() => parseDemoData(broken, 'demo.json')).toThrow(/does not match the API's shapes \(jobs\.0\.job\.status: /);
    expect(() => parseDemoData({ ...data, uploads_read: ['nowhere'] }, 'demo.json')).toThrow('names unknown documents: nowhere');
  });

  it('says how to make it when the build has none (404, or the SPA fallback page)', async () => {
    const missing = loadDemoData('http://web.test/demo/', () => Promise.resolve(new Response('Not found', { status: 404 })));
    await expect(missing).rejects.toThrow(DemoDataError);
    await expect(missing).rejects.toThrow(/demo data is missing \(http:\/\/web\.test\/demo\/demo\.json: HTTP 404\).*npm run build/);
    const fallback = loadDemoData('http://web.test/demo/', () =>
      Promise.resolve(new Response('<!doctype html>', { headers: { 'Content-Type': 'text/html' } })),
    );
    await expect(fallback).rejects.toThrow(/demo data is missing/);
    await expect(loadDemoData('http://web.test/demo/', () => answer(demoData()))).resolves.toEqual(demoData());
  });
});
