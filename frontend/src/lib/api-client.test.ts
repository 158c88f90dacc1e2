import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { api, ApiError, buildUrl, configureApi } from './api-client';

const server = setupServer(
  http.get('http://api.test/v1/jobs/missing', () =>
    HttpResponse.json({ error: { code: 'JOB_NOT_FOUND', message: 'No job missing.' } }, { status: 404 }),
  ),
  http.get('http://api.test/v1/jobs/odd', () => HttpResponse.json({ job_id: 7 })),
  http.get('http://api.test/v1/jobs/html', () => new HttpResponse('<h1>Bad gateway</h1>', { status: 502, statusText: 'Bad Gateway' })),
  http.get('http://api.test/v1/jobs/ok', ({ request }) => HttpResponse.json({ job_id: new URL(request.url).searchParams.get('x') })),
);
beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  configureApi('http://api.test/v1/');
});
afterAll(() => server.close());

const schema = z.object({ job_id: z.string() });

describe('api client', () => {
  it('builds URLs under the base path and drops empty query values', () => {
    expect(buildUrl('/jobs', { owner_id: 'a.b', status: undefined, cursor: '', limit: 5 })).toBe('http://api.test/v1/jobs?owner_id=a.b&limit=5');
  });

  it('parses a good answer with the schema', async () => {
    await expect(api.get('/jobs/ok', schema, { x: 'j-1' })).resolves.toEqual({ job_id: 'j-1' });
  });

  it('turns the error envelope into an ApiError with status, code and message', async () => {
    const error = await api.get('/jobs/missing', schema).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, code: 'JOB_NOT_FOUND', message: 'No job missing.' });
  });

  it('reports an answer that breaks the contract, naming the path and field', async () => {
    await expect(api.get('/jobs/odd', schema)).rejects.toMatchObject({ code: 'BAD_RESPONSE', message: expect.stringContaining('job_id') as string });
  });

  it('explains a non-JSON error', async () => {
    await expect(api.get('/jobs/html', schema)).rejects.toMatchObject({ status: 502, message: 'The server answered 502 Bad Gateway' });
  });
});
