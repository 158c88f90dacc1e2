import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderWithApp } from '@/testing/render';
import { createTestApi } from '@/testing/server';
import { JobsList } from './JobsList';

const { server } = createTestApi(() => Date.parse('2026-03-20T12:00:00Z'));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('JobsList', () => {
  it('shows my jobs with status and time taken, and filters by status', async () => {
    const user = userEvent.setup();
    renderWithApp(<JobsList ownerId="j.osei" />);
    const table = await screen.findByRole('table', { name: 'Jobs' });
    const rows = within(table).getAllByTestId('job-row');
    expect(rows.map((row) => row.querySelector('a')?.textContent)).toEqual([
      'fabrikam-FPC-30317.pdf',
      'bluebird-march-freight.pdf',
      'scan-0007.pdf',
    ]);
    expect(rows[0]).toHaveTextContent('Needs review');
    expect(rows[0]?.querySelectorAll('td')[3]).toHaveTextContent(/^32s$/); // time taken, created → routed
    await user.selectOptions(screen.getByLabelText('Status'), 'FAILED');
    expect(await screen.findByText('scan-0007.pdf')).toBeInTheDocument();
    expect(screen.getAllByTestId('job-row')).toHaveLength(1);
  });

  it('asks for a status before listing everyone’s jobs (the API needs an owner or a status)', async () => {
    const user = userEvent.setup();
    renderWithApp(<JobsList ownerId="j.osei" />);
    await screen.findByRole('table', { name: 'Jobs' });
    await user.click(screen.getByLabelText('Only my uploads'));
    expect(screen.getByText('Choose a status to see everyone’s jobs.')).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Status'), 'NEEDS_REVIEW');
    expect(await screen.findAllByTestId('job-row')).toHaveLength(3);
  });
});
