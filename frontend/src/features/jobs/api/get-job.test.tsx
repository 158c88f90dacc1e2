import { act, renderHook } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppProvider } from '@/app/provider';
import { configureApi } from '@/lib/api-client';
import { POLL_MAX_MS } from '@/lib/polling';
import { TEST_API, testQueryClient } from '@/testing/render';
import type { JobStatus } from '@/types/api';
import { useJob } from './get-job';

const sequence: JobStatus[] = ['UPLOADED', 'PROCESSING', 'PROCESSING', 'NEEDS_REVIEW'];
let calls = 0;
const server = setupServer(
  http.get(`${TEST_API}/jobs/j-1`, () => {
    const status = sequence[Math.min(calls, sequence.length - 1)] ?? 'NEEDS_REVIEW';
    calls += 1;
    return HttpResponse.json({
      job_id: 'j-1',
      status,
      filename: 'a.pdf',
      content_type: 'application/pdf',
      tenant_id: 'acme',
      uploaded_by: 'user-1',
      size_bytes: null,
      file_sha256: null,
      created_at: '2026-03-01T10:00:00.000Z',
      updated_at: '2026-03-01T10:00:05.000Z',
      processing_started_at: null,
      processed_at: null,
      version: calls,
      attempt: 1,
      failure_reason: null,
      invoice_key: null,
      review_reasons: [],
      has_result: status === 'NEEDS_REVIEW',
      decision: null,
      reviewer: null,
      decision_reason: null,
      decided_at: null,
      corrections: {},
      line_corrections: null,
      summary: { vendor_name: null, invoice_number: null, document_date: null, due_date: null, total_amount: null, currency: null },
      read_from: null,
    });
  }),
);
beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  configureApi(TEST_API);
});
afterAll(() => server.close());
afterEach(() => vi.useRealTimers());

const wrapper = ({ children }: { children: ReactNode }) => (
  <AppProvider config={{ mode: 'live', apiBaseUrl: TEST_API, source: 'build' }} queryClient={testQueryClient()}>
    {children}
  </AppProvider>
);

describe('useJob', () => {
  it('polls until the job settles, then stops', async () => {
    // The backoff's clock is faked: each step is run through at once, not waited out.
    vi.useFakeTimers();
    const { result } = renderHook(() => useJob('j-1'), { wrapper });
    for (let step = 0; step < 20 && result.current.data?.status !== 'NEEDS_REVIEW'; step += 1) {
      await act(() => vi.advanceTimersByTimeAsync(POLL_MAX_MS));
    }
    expect(result.current.data?.status).toBe('NEEDS_REVIEW');
    const settledAfter = calls;
    expect(settledAfter).toBe(4);
    // Longer than the longest backoff step: no further request may come.
    await act(() => vi.advanceTimersByTimeAsync(2 * POLL_MAX_MS));
    expect(calls).toBe(settledAfter);
  });
});
