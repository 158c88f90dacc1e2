import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renderWithApp, TEST_API } from '@/testing/render';
import { createTestApi } from '@/testing/server';
import type { Stats } from '@/types/api';
import { lastDays } from '../utils/range';
import { Dashboard } from './Dashboard';

const NOW = Date.parse('2026-03-20T12:00:00Z');
const { server, reset } = createTestApi(() => NOW);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => reset());
afterAll(() => server.close());

const STATS: Stats = {
  date_from: '2026-02-19',
  date_to: '2026-03-21',
  received: 120,
  outcomes: { completed: 90, approved: 20, rejected: 3, failed: 2, in_review: 4 },
  straight_through_rate: 0.7759,
  timings: {
    processing: { count: 114, median_seconds: 45, p90_seconds: 120 },
    waiting_for_person: { count: 24, median_seconds: 7200, p90_seconds: 86400 },
  },
  backlog: { total: 5, by_age: { under_1_day: 2, from_1_to_3_days: 1, from_3_to_7_days: 1, over_7_days: 1 }, overdue: 1, due_this_week: 2, no_due_date: 2 },
  review_reasons: [{ code: 'LOW_CONFIDENCE', count: 12 }],
  corrections: [{ field: 'total_amount', count: 7 }],
  ocr: [{ mode: 'document', invoices: 100, pages: 130, price_per_page: '0.065', estimated_cost: '8.4500', cost_per_invoice: '0.0845' }],
  approved_money: [{ currency: 'EUR', amount: '12345.60' }],
};

describe('Dashboard', () => {
  it('shows the figures of the last 30 days, each linking to the list behind it', async () => {
    const asked: string[] = [];
    server.use(
      http.get(`${TEST_API}/stats`, ({ request }) => {
        asked.push(new URL(request.url).search);
        return HttpResponse.json(STATS);
      }),
    );
    renderWithApp(<Dashboard />);
    const received = await screen.findByRole('heading', { name: 'Invoices received' });
    const section = within(received.closest('section') as HTMLElement);
    expect(section.getByRole('link', { name: '90' })).toHaveAttribute('href', '/jobs?status=COMPLETED');
    expect(section.getByRole('link', { name: '3' })).toHaveAttribute('href', '/jobs?status=REJECTED');
    expect(section.getByRole('link', { name: '77.6%' })).toBeInTheDocument();
    expect(screen.getByText('≤ 45s')).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'OCR cost by mode' })).toHaveTextContent('$8.45');
    expect(screen.getByText(/Total amount: 7/)).toBeInTheDocument();
    // The range sent is the last 30 days
    const range = lastDays(30);
    expect(asked[0]).toBe(`?from=${range.from}&to=${range.to}`);
    // The chart library arrives on demand
    expect(await screen.findByRole('figure', { name: 'Outcomes of the invoices received' }, { timeout: 15_000 })).toBeInTheDocument();
  });

  it('asks for the range a person picks', async () => {
    const user = userEvent.setup();
    const asked: string[] = [];
    server.use(
      http.get(`${TEST_API}/stats`, ({ request }) => {
        asked.push(new URL(request.url).search);
        return HttpResponse.json(STATS);
      }),
    );
    renderWithApp(<Dashboard />);
    await screen.findByRole('heading', { name: 'Invoices received' });
    await user.click(screen.getByRole('button', { name: 'Last 7 days' }));
    await screen.findByRole('heading', { name: 'Invoices received' });
    const range = lastDays(7);
    expect(asked).toContain(`?from=${range.from}&to=${range.to}`);
  });

  it('says so when the figures cannot be loaded', async () => {
    server.use(http.get(`${TEST_API}/stats`, () => HttpResponse.json({ error: { code: 'FORBIDDEN', message: 'No.' } }, { status: 403 })));
    renderWithApp(<Dashboard />);
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load the figures.');
  });
});
