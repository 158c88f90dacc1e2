import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoData } from '@/testing/demo-data';
import { renderWithApp, TEST_API } from '@/testing/render';
import { createTestApi } from '@/testing/server';
import { WebhooksAdmin } from './WebhooksAdmin';

const { server, reset } = createTestApi(Date.now, () => ({ email: 'admin@acme.test', role: 'admin' }));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => reset());
afterAll(() => server.close());

const URL_ = 'https://erp.example.com/hooks/docuflow';

async function register(user: ReturnType<typeof userEvent.setup>, events: string[] = []) {
  const form = await screen.findByRole('form', { name: 'New webhook' });
  await user.type(within(form).getByLabelText(/URL/), URL_);
  for (const type of events) await user.click(within(form).getByLabelText(type));
  await user.click(within(form).getByRole('button', { name: 'Add webhook' }));
  return screen.findByRole('article', { name: URL_ });
}

/** The secret on screen, if any (the API shows it once; the page keeps it until dismissed). */
const shownSecret = () => screen.queryByRole('status')?.querySelector('code')?.textContent ?? null;

describe('WebhooksAdmin', () => {
  it('registers an endpoint and shows its secret once, rotates it, and deletes the endpoint', async () => {
    const user = userEvent.setup();
    renderWithApp(<WebhooksAdmin />);
    expect(await screen.findByText('No webhooks yet.')).toBeInTheDocument();

    // Register: the secret is shown with the endpoint, until the admin says it is stored
    const article = await register(user);
    expect(article).toHaveTextContent('invoice.approved');
    const first = shownSecret();
    expect(first).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    await user.click(screen.getByRole('button', { name: 'I have stored it' }));
    expect(shownSecret()).toBeNull();
    expect(screen.queryByText(first ?? '?')).not.toBeInTheDocument();

    // Rotate: a new secret, shown once, and the endpoint says when it was rotated
    await user.click(within(article).getByRole('button', { name: 'Rotate secret' }));
    await waitFor(() => expect(shownSecret()).toMatch(/^whsec_/));
    expect(shownSecret()).not.toBe(first);
    expect(await within(await screen.findByRole('article', { name: URL_ })).findByText(/secret rotated/)).toBeInTheDocument();

    // Delete: the endpoint is gone
    await user.click(within(screen.getByRole('article', { name: URL_ })).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('No webhooks yet.')).toBeInTheDocument();
    expect(screen.queryByRole('article', { name: URL_ })).not.toBeInTheDocument();
  });

  it('refuses a URL the API refuses, and says why', async () => {
    const user = userEvent.setup();
    renderWithApp(<WebhooksAdmin />);
    const form = await screen.findByRole('form', { name: 'New webhook' });
    await user.type(within(form).getByLabelText(/URL/), 'http://erp.example.com/hooks');
    await user.click(within(form).getByRole('button', { name: 'Add webhook' }));
    expect(await screen.findByText('The webhook was not added.')).toBeInTheDocument();
    expect(screen.getByText(/must use https/)).toBeInTheDocument();
    expect(shownSecret()).toBeNull();
  });

  it('shows the delivery log of an endpoint and sends a delivery again', async () => {
    const user = userEvent.setup();
    renderWithApp(<WebhooksAdmin />);
    const article = await register(user, ['invoice.rejected']);
    await user.click(screen.getByRole('button', { name: 'I have stored it' }));
    await user.click(within(article).getByRole('button', { name: 'Deliveries' }));
    expect(await within(article).findByText('Nothing delivered yet.')).toBeInTheDocument();

    // Given a job in review that a reviewer rejects (the endpoint takes invoice.rejected)
    const job = demoData().jobs.find((entry) => entry.job.status === 'NEEDS_REVIEW')?.job;
    if (!job) throw new Error('the demo data has no job in review');
    const decided = await fetch(`${TEST_API}/review/jobs/${job.job_id}/decision`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ decision: 'REJECT', reason: 'not ours', expected_version: job.version }),
    });
    expect(decided.status).toBe(200);
    const version = ((await decided.json()) as { version: number }).version;

    // Then its delivery is in the log (refreshed while open): the event, status, attempts
    const log = await within(article).findByRole('table', { name: `Deliveries to ${URL_}` }, { timeout: 8000 });
    const row = (await within(log).findByText(`${job.job_id}.rejected.v${version}`)).closest('tr');
    if (!row) throw new Error('no row for the delivery');
    const cells = () => within(row).getAllByRole('cell').map((cell) => cell.textContent);
    expect(cells()[0]).toContain('invoice.rejected');
    expect(cells()[1]).toBe('delivered');
    expect(cells()[2]).toBe('1');

    // When the admin sends it again, the log shows another attempt
    await user.click(within(row).getByRole('button', { name: 'Send again' }));
    await waitFor(() => expect(cells()[2]).toBe('2'));
  }, 15000);
});
