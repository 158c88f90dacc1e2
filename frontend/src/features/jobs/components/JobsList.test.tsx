import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDuration, formatMoney } from '@/lib/format';
import { demoHistoryJobs } from '@/mocks/demo-stats';
import { demoData } from '@/testing/demo-data';
import { renderWithApp } from '@/testing/render';
import { createTestApi } from '@/testing/server';
import { JobsList } from './JobsList';

const NOW = Date.parse('2026-03-20T12:00:00Z');
const { server } = createTestApi(() => NOW);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

// The demo back end lists its seeded jobs and the made-up jobs of the dashboard's history.
const data = demoData();
const jobs = [...data.jobs.map((j) => j.job), ...demoHistoryJobs(data)];
const newestFirst = <T extends { created_at: string }>(list: T[]) => [...list].sort((a, b) => b.created_at.localeCompare(a.created_at));

describe('JobsList', () => {
  it('shows the company’s jobs, newest first, with status, processing and waiting time, and filters by status', async () => {
    const user = userEvent.setup();
    const mine = newestFirst(jobs).slice(0, 25); // the first page
    renderWithApp(<JobsList />);
    const table = await screen.findByRole('table', { name: 'Jobs' });
    const rows = within(table).getAllByTestId('job-row');
    // Each row names the vendor (the file name as the second line) or, before it is read, the file
    expect(rows.map((row) => row.querySelector('a')?.textContent)).toEqual(mine.map((job) => job.summary.vendor_name ?? job.filename));
    const read = mine.find((job) => job.summary.vendor_name && job.summary.total_amount && job.summary.currency);
    if (!read?.summary.total_amount) throw new Error('the demo data has no read invoice on the first page');
    const readRow = within(table).getAllByTestId('job-row').find((row) => row.dataset.jobId === read.job_id);
    expect(readRow?.querySelector('[data-testid="job-file"]')).toHaveTextContent(read.filename);
    expect(readRow?.querySelector('[data-testid="job-total"]')).toHaveTextContent(formatMoney(read.summary.total_amount, read.summary.currency));
    const first = mine[0];
    if (!first) throw new Error('the demo data has no jobs');
    expect(rows[0]).toHaveTextContent(first.status === 'NEEDS_REVIEW' ? 'Needs review' : /./);
    // Processing is the machines' time only; the wait for a person is its own column.
    const byId = (id: string) => rows.find((row) => row.dataset.jobId === id);
    const decided = mine.find((job) => job.decided_at && job.processed_at && job.uploaded_by !== 'history');
    if (!decided?.processed_at || !decided.processing_started_at || !decided.decided_at) throw new Error('j.osei has no decided job');
    const cells = byId(decided.job_id)?.querySelectorAll('td');
    const processing = formatDuration(Date.parse(decided.processed_at) - Date.parse(decided.processing_started_at));
    const waiting = formatDuration(Date.parse(decided.decided_at) - Date.parse(decided.processed_at));
    expect(cells?.[5]).toHaveTextContent(new RegExp(`^${processing}$`));
    expect(cells?.[6]).toHaveTextContent(new RegExp(`^${waiting}$`));
    expect(waiting).not.toBe(processing);

    const rejected = jobs.filter((job) => job.status === 'REJECTED');
    expect(rejected.length).toBeGreaterThan(0);
    await user.selectOptions(screen.getByLabelText('Status'), 'REJECTED');
    const firstRejected = rejected[0];
    expect(await screen.findByText(firstRejected?.summary.vendor_name ?? firstRejected?.filename ?? '?')).toBeInTheDocument();
    expect(screen.getAllByTestId('job-row')).toHaveLength(Math.min(25, rejected.length));
  });

  it('reads status and days from the address, says what it shows, and clears it', async () => {
    const user = userEvent.setup();
    // Given a link to the failed jobs received on the demo's reference day (moved to today)
    const today = new Date(NOW).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.parse(today) + 86_400_000).toISOString().slice(0, 10);
    const failedToday = jobs.filter((job) => job.status === 'FAILED' && job.created_at.startsWith(data.reference_time.slice(0, 10)));
    expect(failedToday.length).toBeGreaterThan(0);
    renderWithApp(<JobsList />, { route: `/jobs?status=FAILED&from=${today}&to=${tomorrow}` });
    // Then exactly those are listed, and the filter is shown
    const table = await screen.findByRole('table', { name: 'Jobs' });
    expect(within(table).getAllByTestId('job-row').map((row) => row.dataset.jobId)).toEqual(failedToday.map((job) => job.job_id));
    expect(screen.getByLabelText('Status')).toHaveValue('FAILED');
    expect(screen.getByRole('status')).toHaveTextContent(/Showing failed jobs, received .+ – .+\./);
    // When the filter is cleared, every job is listed again (a full first page)
    await user.click(screen.getByRole('button', { name: 'Clear filter' }));
    await waitFor(() => expect(screen.getAllByTestId('job-row')).toHaveLength(25));
    expect(screen.queryByRole('status')).toBeNull();
    expect(screen.getByLabelText('Status')).toHaveValue('');
  });

  it('shows the API’s answer to a day the calendar has not', async () => {
    renderWithApp(<JobsList />, { route: '/jobs?from=2026-02-30' });
    expect(await screen.findByRole('alert')).toHaveTextContent('from: 2026-02-30 is not a calendar date');
  });

  it('says when no invoice has the chosen status, and offers the upload', async () => {
    const user = userEvent.setup();
    const statuses = new Set(jobs.map((job) => job.status));
    const absent = (['CREATED', 'UPLOADED', 'PROCESSING'] as const).find((status) => !statuses.has(status));
    if (!absent) throw new Error('every status is in the demo data; this test needs an absent one');
    renderWithApp(<JobsList />);
    await screen.findByRole('table', { name: 'Jobs' });
    await user.selectOptions(screen.getByLabelText('Status'), absent);
    const empty = await screen.findByTestId('empty-state');
    expect(empty).toHaveTextContent(/^No .+ invoices/);
    expect(within(empty).getByRole('link', { name: 'Upload invoices' })).toHaveAttribute('href', '/');
  });
});
