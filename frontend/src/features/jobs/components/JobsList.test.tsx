import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDuration } from '@/lib/format';
import { demoData } from '@/testing/demo-data';
import { renderWithApp } from '@/testing/render';
import { createTestApi } from '@/testing/server';
import { JobsList } from './JobsList';

const { server } = createTestApi(() => Date.parse('2026-03-20T12:00:00Z'));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const jobs = demoData().jobs.map((j) => j.job);
const newestFirst = <T extends { created_at: string }>(list: T[]) => [...list].sort((a, b) => b.created_at.localeCompare(a.created_at));

describe('JobsList', () => {
  it('shows the company’s jobs, newest first, with status and time taken, and filters by status', async () => {
    const user = userEvent.setup();
    const mine = newestFirst(jobs).slice(0, 25); // the first page
    renderWithApp(<JobsList />);
    const table = await screen.findByRole('table', { name: 'Jobs' });
    const rows = within(table).getAllByTestId('job-row');
    expect(rows.map((row) => row.querySelector('a')?.textContent)).toEqual(mine.map((job) => job.filename));
    const first = mine[0];
    if (!first) throw new Error('the demo data has no jobs');
    expect(rows[0]).toHaveTextContent(first.status === 'NEEDS_REVIEW' ? 'Needs review' : /./);
    const taken = formatDuration(Date.parse(first.updated_at) - Date.parse(first.created_at));
    expect(rows[0]?.querySelectorAll('td')[3]).toHaveTextContent(new RegExp(`^${taken}$`)); // created → settled

    const rejected = jobs.filter((job) => job.status === 'REJECTED');
    expect(rejected.length).toBeGreaterThan(0);
    await user.selectOptions(screen.getByLabelText('Status'), 'REJECTED');
    expect(await screen.findByText(rejected[0]?.filename ?? '?')).toBeInTheDocument();
    expect(screen.getAllByTestId('job-row')).toHaveLength(rejected.length);
  });
});
