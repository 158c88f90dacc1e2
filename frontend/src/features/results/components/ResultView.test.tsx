import { screen, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldLabel } from '@/lib/format';
import { demoScene } from '@/testing/demo-data';
import { renderWithApp } from '@/testing/render';
import { createTestApi } from '@/testing/server';
import { EINVOICE_RESULT } from '@/testing/einvoice';
import { render } from '@testing-library/react';
import { ResultDetails, ResultView } from './ResultView';

const { server } = createTestApi();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('ResultView', () => {
  it('shows fields with confidence in numbers and words, checks, reasons in words and line items', async () => {
    const { job, document } = demoScene('review');
    const { result } = document;
    renderWithApp(<ResultView jobId={job.job_id} ready />);
    const fields = await screen.findByRole('table', { name: 'Extracted fields' });
    const total = result.fields?.total_amount;
    if (!total) throw new Error('the review scene has no total');
    const row = within(fields).getByRole('row', { name: new RegExp(fieldLabel('total_amount')) });
    expect(row).toHaveTextContent(total.value);
    expect(row).toHaveTextContent(/\d+% (high|good|low|very low)/);

    const routing = screen.getByRole('heading', { name: 'Why it went to review' }).closest('section') as HTMLElement;
    const reasons = result.routing.reasons ?? [];
    expect(reasons.length).toBeGreaterThanOrEqual(2);
    expect(within(routing).getAllByRole('listitem').map((item) => item.textContent)).toEqual(
      reasons.map((reason) => `${reason.message}${reason.field ? ` (${fieldLabel(reason.field)})` : ''}`),
    );

    const checks = screen.getByRole('heading', { name: 'Checks' }).closest('section') as HTMLElement;
    for (const [name, check] of Object.entries(result.checks ?? {})) {
      const word = { pass: 'Passed', fail: 'Failed', skipped: 'Skipped' }[check.status];
      expect(within(checks).getByText(name.replace(/_/g, ' ')).closest('li')).toHaveTextContent(word);
    }
    const lines = screen.getByRole('table', { name: 'Line items' });
    const items = result.line_items ?? [];
    expect(within(lines).getAllByRole('row')).toHaveLength(items.length + 1); // with the header
    expect(lines).toHaveTextContent(items[0]?.description ?? '?');
  });

  it('shows a reviewer’s corrections next to what was read', async () => {
    const { job, document } = demoScene('review');
    const before = document.result.fields?.total_amount?.value ?? '?';
    renderWithApp(<ResultView jobId={job.job_id} ready corrections={{ total_amount: { before, after: '1.00' } }} />);
    const fields = await screen.findByRole('table', { name: 'Extracted fields' });
    expect(within(fields).getByRole('row', { name: /Total amount/ })).toHaveTextContent(`1.00 corrected from ${before}`);
  });

  it('lists a field the reviewer added that was not on the document as read', async () => {
    const { job, document } = demoScene('review');
    expect(document.result.fields?.currency, 'the review scene has no currency read').toBeUndefined();
    renderWithApp(<ResultView jobId={job.job_id} ready corrections={{ currency: { before: null, after: 'USD' } }} />);
    const fields = await screen.findByRole('table', { name: 'Extracted fields' });
    expect(within(fields).getByRole('row', { name: /Currency/ })).toHaveTextContent('USD added by the reviewer');
  });

  it('says which e-invoice it was and marks every value read from the XML as exact', () => {
    render(<ResultDetails result={EINVOICE_RESULT} />);
    expect(screen.getByText('E-invoice (XRechnung UBL)')).toBeInTheDocument();
    const fields = screen.getByRole('table', { name: 'Extracted fields' });
    const total = within(fields).getByRole('row', { name: /Total amount/ });
    expect(total).toHaveTextContent('Exact from XML (BT-112)');
    expect(total).not.toHaveTextContent('%');
    expect(within(total).getByTitle(/LegalMonetaryTotal\/cbc:TaxInclusiveAmount/)).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'Line items' })).toHaveTextContent('40 H87');
  });

  it('does not ask for a result before the job has one', () => {
    const { job } = demoScene('failed');
    renderWithApp(<ResultView jobId={job.job_id} ready={job.has_result} />);
    expect(screen.getByText('The result appears here once processing has finished.')).toBeInTheDocument();
  });
});
