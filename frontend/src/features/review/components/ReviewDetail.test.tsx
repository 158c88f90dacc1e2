import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import type { ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { demoScene } from '@/testing/demo-data';
import { renderWithApp, TEST_API } from '@/testing/render';
import { EINVOICE_RESULT } from '@/testing/einvoice';
import { createTestApi } from '@/testing/server';
import { fieldBoxes, reviewFieldNames } from '../utils/review-fields';
import { ReviewDetail } from './ReviewDetail';

// pdf.js needs a real canvas; here the "PDF" is a plain page with the same overlay.
vi.mock('./PdfPages', () => ({
  default: ({ renderOverlay }: { renderOverlay: (page: number) => ReactNode }) => (
    <div data-testid="pdf-pages">{renderOverlay(1)}</div>
  ),
}));

const { server, reset } = createTestApi();
const decisions: unknown[] = [];
server.events.on('request:start', ({ request }) => {
  if (request.url.endsWith('/decision')) void request.clone().json().then((b: unknown) => decisions.push(b));
});
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  reset();
  decisions.length = 0;
});
afterAll(() => server.close());

const open = (jobId: string) => renderWithApp(<ReviewDetail jobId={jobId} />, { route: `/review/${jobId}` });

const review = demoScene('review');
const names = reviewFieldNames(review.document.result);
const boxed = new Set(fieldBoxes(review.document.result).map((box) => box.field));

describe('ReviewDetail', () => {
  it('highlights the box of the focused field, and moves with j/k', async () => {
    // Two neighbouring fields that both have a box on the page
    const at = names.findIndex((name, index) => boxed.has(name) && boxed.has(names[index + 1] ?? ''));
    const [first, second] = [names[at] ?? '', names[at + 1] ?? ''];
    expect(at, 'two neighbouring boxed fields in the review scene').toBeGreaterThanOrEqual(0);
    const box = (name: string) => document.querySelector(`.overlay__box[data-field="${name}"]`);

    const user = userEvent.setup();
    open(review.job.job_id);
    const row = await screen.findByTestId(`field-${first}`);
    await waitFor(() => expect(box(first)).toHaveAttribute('data-active', 'false'));
    row.focus();
    await waitFor(() => expect(box(first)).toHaveAttribute('data-active', 'true'));
    await user.keyboard('j');
    expect(screen.getByTestId(`field-${second}`)).toHaveFocus();
    expect(box(first)).toHaveAttribute('data-active', 'false');
    expect(box(second)).toHaveAttribute('data-active', 'true');
    // clicking a box focuses its field
    await user.click(box(first) as HTMLElement);
    expect(screen.getByTestId(`field-${first}`)).toHaveFocus();
  });

  it('validates an inline edit, offers alternatives and sends the corrections with the version', async () => {
    const fields = review.document.result.fields ?? {};
    const [withAlternative, field] = Object.entries(fields).find(([, f]) => (f.alternatives ?? []).length > 0) ?? [];
    const alternative = field?.alternatives?.[0]?.value;
    if (!withAlternative || !field || !alternative) throw new Error('the review scene has no field with another reading');
    const user = userEvent.setup();
    open(review.job.job_id);

    const date = await screen.findByTestId('field-document_date');
    await user.click(within(date).getByRole('button', { name: 'Edit Document date' }));
    const input = within(date).getByLabelText('New value for Document date');
    await user.clear(input);
    await user.type(input, '04/03/2026{Enter}');
    expect(within(date).getByRole('alert')).toHaveTextContent('YYYY-MM-DD');
    await user.keyboard('{Escape}');
    expect(within(date).queryByRole('textbox')).not.toBeInTheDocument();

    // the other reading is one click away
    const row = screen.getByTestId(`field-${withAlternative}`);
    const use = within(row).getAllByRole('button').find((button) => button.textContent.startsWith(`Use ${alternative} (`));
    await user.click(use as HTMLElement);
    expect(within(row).getByTestId('field-value')).toHaveTextContent(alternative);
    expect(within(row).getByText(`corrected from ${field.value}`)).toBeInTheDocument();

    await user.click(within(date).getByRole('button', { name: 'Edit Document date' }));
    const again = within(date).getByLabelText('New value for Document date');
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
      corrected_fields: { [withAlternative]: alternative, document_date: '2026-05-03' },
      reason: '',
      expected_version: review.job.version,
    });
  });

  it('shows an XML-only e-invoice rendered from its XML instead of a document viewer', async () => {
    server.use(
      http.get(`${TEST_API}/review/jobs/:jobId`, () =>
        HttpResponse.json({
          job: { ...review.job, filename: 'invoice.xml', content_type: 'application/xml', read_from: 'einvoice' },
          result: EINVOICE_RESULT,
          audit: review.audit,
          document: { url: `${TEST_API}/doc.xml`, expires_at: '2099-01-01T00:00:00Z', filename: 'invoice.xml', content_type: 'application/xml' },
        }),
      ),
    );
    open(review.job.job_id);
    const invoice = await screen.findByRole('article', { name: 'The e-invoice, rendered from its XML' });
    expect(invoice).toHaveTextContent('Invoice RE-2025-0042');
    expect(screen.queryByTestId('pdf-pages')).not.toBeInTheDocument();
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
    expect(screen.getByText('E-invoice (XRechnung UBL)', { selector: 'strong' })).toBeInTheDocument();
    expect(screen.getByTestId('field-total_amount')).toHaveTextContent('Exact from XML (BT-112)');
  });

  it('tells the reviewer when someone else decided first (409)', async () => {
    server.use(
      http.post(`${TEST_API}/review/jobs/:jobId/decision`, () =>
        HttpResponse.json({ error: { code: 'CONCURRENT_UPDATE', message: 'changed' } }, { status: 409 }),
      ),
    );
    const user = userEvent.setup();
    open(demoScene('scan').job.job_id);
    await user.click(await screen.findByRole('button', { name: /Reject/ }));
    const reason = screen.getByLabelText('Reason (required)');
    await user.click(screen.getByRole('button', { name: 'Confirm rejection' }));
    expect(screen.getByText(/Say why the invoice is rejected/)).toBeInTheDocument();
    await user.type(reason, 'Totals do not add up');
    await user.click(screen.getByRole('button', { name: 'Confirm rejection' }));
    expect(await screen.findByText(/Someone else decided or changed this invoice/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Load the current version' })).toBeInTheDocument();
  });

  it('asks for an override reason when a check blocks the approval, and sends it', async () => {
    const message = 'Approving this job passes 1 failing check(s) that block an approval (possible_duplicate: flagged DUPLICATE_FILE when it was read).';
    let refused = false;
    server.use(
      http.post(`${TEST_API}/review/jobs/:jobId/decision`, async ({ request }) => {
        const body = (await request.clone().json()) as Record<string, unknown>;
        if (!('override_reason' in body)) {
          refused = true;
          return HttpResponse.json({ error: { code: 'OVERRIDE_REQUIRED', message } }, { status: 409 });
        }
        return HttpResponse.json({ ...review.job, status: 'APPROVED' });
      }),
    );
    const user = userEvent.setup();
    open(review.job.job_id);
    await user.click(await screen.findByRole('button', { name: /Approve/ }));
    await user.click(screen.getByRole('button', { name: 'Confirm approval' }));
    // The API's words, not "someone else decided", and a reason to give
    expect(await screen.findByText(message)).toBeInTheDocument();
    expect(refused).toBe(true);
    expect(screen.queryByText(/Someone else decided/)).not.toBeInTheDocument();
    const override = screen.getByLabelText('Override reason (required)');
    await user.click(screen.getByRole('button', { name: 'Confirm approval' }));
    expect(decisions).toHaveLength(1); // nothing sent without a reason
    await user.type(override, 'Second delivery, same number');
    await user.click(screen.getByRole('button', { name: 'Confirm approval' }));
    await waitFor(() => expect(decisions).toHaveLength(2));
    expect(decisions[1]).toMatchObject({ decision: 'APPROVE', override_reason: 'Second delivery, same number' });
  });

  it('keeps unsent corrections per job across leaving and coming back, and guards leaving the page', async () => {
    const user = userEvent.setup();
    // Given a correction made and the screen left (n, a link or a reload unmount it)
    const first = open(review.job.job_id);
    const date = await screen.findByTestId('field-document_date');
    await user.click(within(date).getByRole('button', { name: 'Edit Document date' }));
    const input = within(date).getByLabelText('New value for Document date');
    await user.clear(input);
    await user.type(input, '2026-05-03{Enter}');
    expect(screen.getByTestId('draft-note')).toHaveTextContent('Draft: 1 unsent correction');
    const leaving = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(leaving);
    expect(leaving.defaultPrevented).toBe(true); // the browser asks before the tab closes
    first.unmount();

    // When the job is opened again, the draft is back
    open(review.job.job_id);
    const again = await screen.findByTestId('field-document_date');
    expect(within(again).getByTestId('field-value')).toHaveTextContent('2026-05-03');
    // And another job has no draft of its own
    expect(localStorage.getItem(`docuflow.draft.${demoScene('scan').job.job_id}`)).toBeNull();

    // Discarding it restores the reading and lets the page go without asking
    await user.click(screen.getByRole('button', { name: 'Discard draft' }));
    expect(screen.queryByTestId('draft-note')).not.toBeInTheDocument();
    expect(localStorage.getItem(`docuflow.draft.${review.job.job_id}`)).toBeNull();
    const free = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(free);
    expect(free.defaultPrevented).toBe(false);
  });

  it('drops a draft made on an older version of the job', async () => {
    localStorage.setItem(
      `docuflow.draft.${review.job.job_id}`,
      JSON.stringify({ version: review.job.version - 1, corrections: { document_date: '2026-05-03' }, lines: null }),
    );
    open(review.job.job_id);
    await screen.findByTestId('field-document_date');
    expect(screen.queryByTestId('draft-note')).not.toBeInTheDocument();
    expect(localStorage.getItem(`docuflow.draft.${review.job.job_id}`)).toBeNull();
  });

  it('turns single-key shortcuts off, and remembers it', async () => {
    const user = userEvent.setup();
    const first = open(review.job.job_id);
    await user.click(await screen.findByRole('checkbox', { name: 'Keyboard shortcuts' }));
    await user.click(document.body);
    await user.keyboard('a');
    expect(screen.queryByRole('button', { name: /Confirm approval/ })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Approve' })).toBeInTheDocument(); // no key hint
    first.unmount();

    open(review.job.job_id);
    expect(await screen.findByRole('checkbox', { name: 'Keyboard shortcuts' })).not.toBeChecked();
    await user.keyboard('a');
    expect(screen.queryByRole('button', { name: /Confirm approval/ })).not.toBeInTheDocument();
    await user.click(screen.getByRole('checkbox', { name: 'Keyboard shortcuts' }));
    await user.click(document.body);
    await user.keyboard('a');
    expect(await screen.findByRole('button', { name: /Confirm approval/ })).toBeInTheDocument();
  });

  it('shows a decided invoice as decided: who, when, why, what changed, and no live shortcuts', async () => {
    const approved = demoScene('approved');
    const user = userEvent.setup();
    open(approved.job.job_id);
    const summary = await screen.findByTestId('decision-summary');
    expect(summary).toHaveTextContent(`Approved by ${approved.job.reviewer ?? '?'}`);
    expect(summary.querySelector('time')).toHaveAttribute('datetime', approved.job.decided_at ?? '?');
    expect(summary).toHaveTextContent(approved.job.decision_reason ?? '?');
    const [name, correction] = Object.entries(approved.job.corrections)[0] ?? [];
    expect(within(summary).getByRole('list', { name: 'What changed' }).querySelector(`[data-field="${name ?? ''}"] ins`)).toHaveTextContent(
      correction?.after ?? '?',
    );
    // The fields show the values as decided
    expect(within(screen.getByTestId(`field-${name ?? ''}`)).getByTestId('field-value')).toHaveAttribute('data-value', correction?.after ?? '?');
    // The reasons it was sent to review are history now, and the keys do nothing
    expect(screen.queryByRole('list', { name: 'Why it is in review' })).not.toBeInTheDocument();
    expect(screen.queryByRole('complementary', { name: 'Keyboard shortcuts' })).not.toBeInTheDocument();
    const firstField = screen.getAllByTestId(/^field-/)[0];
    await user.click(document.body);
    await user.keyboard('j');
    expect(firstField).not.toHaveFocus();
  });

  it('names the override reason of an approval that passed a failing check', async () => {
    const approved = demoScene('approved');
    const audit = approved.audit.map((event) =>
      event.event === 'approved'
        ? { ...event, details: { ...event.details, override: { reason: 'Paid by card already', checks: [{ check: 'totals_add_up', message: 'Subtotal + tax is not the total.' }] } } }
        : event,
    );
    server.use(
      http.get(`${TEST_API}/review/jobs/:jobId`, () =>
        HttpResponse.json({
          job: approved.job,
          result: approved.document.result,
          audit,
          document: { url: `${TEST_API}/doc.pdf`, expires_at: '2099-01-01T00:00:00Z', filename: approved.job.filename, content_type: 'application/pdf' },
        }),
      ),
    );
    open(approved.job.job_id);
    const summary = await screen.findByTestId('decision-summary');
    expect(summary).toHaveTextContent('Approved despite failing checks, because');
    expect(summary).toHaveTextContent('Paid by card already');
    expect(summary).toHaveTextContent('Subtotal + tax is not the total.');
  });

  it('lists the audit trail as a timeline, the correction before → after', async () => {
    const approved = demoScene('approved');
    open(approved.job.job_id);
    const trail = await screen.findByRole('list', { name: 'Audit trail' });
    const items = within(trail).getAllByRole('listitem');
    expect(items.map((item) => item.getAttribute('data-event'))).toEqual(approved.audit.map((event) => event.event));
    expect(items.at(-1)).toHaveTextContent(approved.job.decision_reason ?? '?');
    const [name, correction] = Object.entries(approved.job.corrections)[0] ?? [];
    expect(name, 'the approved scene carries a correction').toBeDefined();
    const change = trail.querySelector(`[data-field="${name ?? ''}"]`);
    expect(change?.querySelector('ins')).toHaveTextContent(correction?.after ?? '?');
    expect(screen.getByTestId('decision-summary')).toHaveTextContent('There is nothing left to decide.');
    expect(screen.queryByRole('button', { name: /^Edit / })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Approve/ })).not.toBeInTheDocument();
  });
});
