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
  it('shows the company’s jobs, newest first, with status, processing and waiting time, and filters by status', async () => {
    const user = userEvent.setup();
    const mine = newestFirst(jobs).slice(0, 25); // the first page
    renderWithApp(<JobsList />);
    const table = await screen.findByRole('table', { name: 'Jobs' });
    const rows = within(table).getAllByTestId('job-row');
    expect(rows.map((row) => row.querySelector('a')?.textContent)).toEqual(mine.map((job) => job.filename));
    const first = mine[0];
    if (!first) throw new Error('the demo data has no jobs');
    expect(rows[0]).toHaveTextContent(first.status === 'NEEDS_REVIEW' ? 'Needs review' : /./);
    // Processing is the machines' time only; the wait for a person is its own column.
    const byId = (id: string) => rows.find((row) => row.dataset.jobId === id);
    const decided = mine.find((job) => job.decided_at && job.processed_at);
    if (!decided?.processed_at || !decided.processing_started_at || !decided.decided_at) throw new Error('j.osei has no decided job');
    const cells = byId(decided.job_id)?.querySelectorAll('td');
    const processing = formatDuration(Date.parse(decided.processed_at) - Date.parse(decided.processing_started_at));
    const waiting = formatDuration(Date.parse(decided.decided_at) - Date.parse(decided.processed_at));
    expect(cells?.[3]).toHaveTextContent(new RegExp(`^${processing}$`));
    expect(cells?.[4]).toHaveTextContent(new RegExp(`^${waiting}$`));
    expect(waiting).not.toBe(processing);

    const rejected = jobs.filter((job) => job.status === 'REJECTED');
    expect(rejected.length).toBeGreaterThan(0);
    await user.selectOptions(screen.getByLabelText('Status'), 'REJECTED');
    expect(await screen.findByText(rejected[0]?.filename ?? '?')).toBeInTheDocument();
    expect(screen.getAllByTestId('job-row')).toHaveLength(rejected.length);
  });
});
