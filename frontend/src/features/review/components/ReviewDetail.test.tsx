import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import type { ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setClerkName } from '@/lib/clerk';
import { renderWithApp, TEST_API } from '@/testing/render';
import { createTestApi } from '@/testing/server';
import { ReviewDetail } from './ReviewDetail';

// pdf.js needs a real canvas; here the "PDF" is a plain page with the same overlay.
vi.mock('./PdfPages', () => ({
  default: ({ renderOverlay }: { renderOverlay: (page: number) => ReactNode }) => (
    <div data-testid="pdf-pages">{renderOverlay(1)}</div>
  ),
}));

const { server } = createTestApi();
const decisions: unknown[] = [];
server.events.on('request:start', ({ request }) => {
  if (request.url.endsWith('/decision')) void request.clone().json().then((b: unknown) => decisions.push(b));
});
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  decisions.length = 0;
});
afterAll(() => server.close());

const open = (jobId: string) => renderWithApp(<ReviewDetail jobId={jobId} />, { route: `/review/${jobId}` });

describe('ReviewDetail', () => {
  it('highlights the box of the focused field, and moves with j/k', async () => {
    const user = userEvent.setup();
    open('demo-0002-bluebird');
    const total = await screen.findByTestId('field-total_amount');
    const box = () => document.querySelector('.overlay__box[data-field="total_amount"]');
    await waitFor(() => expect(box()).toHaveAttribute('data-active', 'false'));
    total.focus();
    await waitFor(() => expect(box()).toHaveAttribute('data-active', 'true'));
    await user.keyboard('j');
    expect(screen.getByTestId('field-amount_due')).toHaveFocus();
    expect(box()).toHaveAttribute('data-active', 'false');
    expect(document.querySelector('.overlay__box[data-field="amount_due"]')).toHaveAttribute('data-active', 'true');
    // clicking a box focuses its field
    await user.click(document.querySelector('.overlay__box[data-field="vendor_name"]') as HTMLElement);
    expect(screen.getByTestId('field-vendor_name')).toHaveFocus();
  });

  it('validates an inline edit, offers alternatives and sends the corrections with the version', async () => {
    setClerkName('r.eviewer');
    const user = userEvent.setup();
    open('demo-0003-contoso');
    const due = await screen.findByTestId('field-due_date');
    await user.click(within(due).getByRole('button', { name: 'Edit Due date' }));
    const input = within(due).getByLabelText('New value for Due date');
    await user.clear(input);
    await user.type(input, '04/03/2026{Enter}');
    expect(within(due).getByRole('alert')).toHaveTextContent('YYYY-MM-DD');
    await user.keyboard('{Escape}');
    expect(within(due).queryByRole('textbox')).not.toBeInTheDocument();

    // the alternative reading of the invoice date is one click away
    const date = screen.getByTestId('field-document_date');
    await user.click(within(date).getByRole('button', { name: /Use 2026-04-03/ }));
    expect(within(date).getByTestId('field-value')).toHaveTextContent('2026-04-03');
    expect(within(date).getByText('corrected from 2026-03-04')).toBeInTheDocument();

    await user.click(within(due).getByRole('button', { name: 'Edit Due date' }));
    const again = within(due).getByLabelText('New value for Due date');
    await user.clear(again);
    await user.type(again, '2026-05-03{Enter}');

    // a = approve, then confirm
    await user.click(document.body);
    await user.keyboard('a');
    const confirm = await screen.findByRole('button', { name: 'Confirm approval with 2 corrections' });
    await user.click(confirm);
    await waitFor(() => expect(decisions).toHaveLength(1));
    expect(decisions[0]).toEqual({
      decision: 'APPROVE',
      reviewer: 'r.eviewer',
      corrected_fields: { document_date: '2026-04-03', due_date: '2026-05-03' },
      reason: '',
      expected_version: 6,
    });
  });

  it('tells the reviewer when someone else decided first (409)', async () => {
    setClerkName('r.eviewer');
    server.use(
      http.post(`${TEST_API}/review/jobs/:jobId/decision`, () =>
        HttpResponse.json({ error: { code: 'CONCURRENT_UPDATE', message: 'changed' } }, { status: 409 }),
      ),
    );
    const user = userEvent.setup();
    open('demo-0004-fabrikam');
    await screen.findByTestId('field-total_amount');
    await user.click(screen.getByRole('button', { name: /Reject/ }));
    const reason = screen.getByLabelText('Reason (required)');
    await user.click(screen.getByRole('button', { name: 'Confirm rejection' }));
    expect(screen.getByText(/Say why the invoice is rejected/)).toBeInTheDocument();
    await user.type(reason, 'Totals do not add up');
    await user.click(screen.getByRole('button', { name: 'Confirm rejection' }));
    expect(await screen.findByText(/Someone else decided or changed this invoice/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Load the current version' })).toBeInTheDocument();
  });

  it('will not send a decision without a clerk name', async () => {
    const user = userEvent.setup();
    open('demo-0002-bluebird');
    await screen.findByTestId('field-total_amount');
    await user.click(screen.getByRole('button', { name: /Approve/ }));
    expect(screen.getByText(/Enter your name in "Clerk name"/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Confirm approval/ })).toBeDisabled();
  });

  it('lists the audit trail as a timeline', async () => {
    open('demo-0005-adatum');
    const trail = await screen.findByRole('list', { name: 'Audit trail' });
    const items = within(trail).getAllByRole('listitem');
    expect(items.map((item) => item.getAttribute('data-event'))).toEqual([
      'created',
      'uploaded',
      'started',
      'ocr_started',
      'ocr_done',
      'routed',
      'approved',
    ]);
    expect(items.at(-1)).toHaveTextContent('Matches the purchase order.');
    expect(screen.getByText(/This invoice is approved; there is nothing to decide/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Edit / })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Approve/ })).not.toBeInTheDocument();
  });
});
