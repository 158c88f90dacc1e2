import { screen, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderWithApp } from '@/testing/render';
import { createTestApi } from '@/testing/server';
import { ResultView } from './ResultView';

const { server } = createTestApi();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('ResultView', () => {
  it('shows fields with confidence in numbers and words, checks, reasons in words and line items', async () => {
    renderWithApp(<ResultView jobId="demo-0004-fabrikam" ready />);
    const fields = await screen.findByRole('table', { name: 'Extracted fields' });
    const total = within(fields).getByRole('row', { name: /Total amount/ });
    expect(total).toHaveTextContent('1198.87');
    expect(total).toHaveTextContent(/\d+% (high|good|low|very low)/);
    const routing = screen.getByRole('heading', { name: 'Why it went to review' }).closest('section') as HTMLElement;
    expect(within(routing).getByRole('listitem')).toHaveTextContent(/plus tax .* but the total says 1198\.87\. \(Total amount\)/);
    const checks = screen.getByRole('heading', { name: 'Checks' }).closest('section') as HTMLElement;
    expect(within(checks).getByText('totals add up').closest('li')).toHaveTextContent('Failed');
    expect(within(checks).getByText('currency known').closest('li')).toHaveTextContent('Passed');
    const lines = screen.getByRole('table', { name: 'Line items' });
    expect(within(lines).getAllByRole('row')).toHaveLength(3); // header + 2 lines
    expect(lines).toHaveTextContent('Roll-up banner 85 x 200 cm');
  });

  it('shows a reviewer’s corrections next to what was read', async () => {
    renderWithApp(
      <ResultView jobId="demo-0004-fabrikam" ready corrections={{ total_amount: { before: '1198.87', after: '1192.76' } }} />,
    );
    const fields = await screen.findByRole('table', { name: 'Extracted fields' });
    expect(within(fields).getByRole('row', { name: /Total amount/ })).toHaveTextContent('1192.76 corrected from 1198.87');
  });

  it('does not ask for a result before the job has one', () => {
    renderWithApp(<ResultView jobId="demo-0006-scan" ready={false} />);
    expect(screen.getByText('The result appears here once processing has finished.')).toBeInTheDocument();
  });
});
