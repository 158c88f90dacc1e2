import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configureApi } from '@/lib/api-client';
import { DemoApi, type DemoCaller } from '@/mocks/demo-api';
import { demoHandlers } from '@/mocks/handlers';
import { demoData } from '@/testing/demo-data';
import { renderWithApp, TEST_API } from '@/testing/render';
import { TEST_DATA_URL } from '@/testing/server';
import { SettingsAdmin } from './SettingsAdmin';

let caller: DemoCaller = { email: 'admin@acme.test', role: 'admin' };
const fresh = () => demoHandlers(TEST_API, new DemoApi(demoData(), { baseUrl: TEST_API, dataUrl: TEST_DATA_URL, caller: () => caller }));
const server = setupServer(...fresh());
beforeAll(() => {
  configureApi(TEST_API);
  server.listen({ onUnhandledRequest: 'error' });
});
afterEach(() => {
  caller = { email: 'admin@acme.test', role: 'admin' };
  server.resetHandlers(...fresh());
});
afterAll(() => server.close());

const rowOf = async (email: string) => {
  const table = await screen.findByRole('table', { name: 'Users' });
  const row = within(table)
    .getAllByRole('row')
    .find((r) => r.textContent.includes(email));
  if (!row) throw new Error(`no row for ${email}`);
  return row;
};

describe('SettingsAdmin', () => {
  it('lists the users, invites one with a role, changes a role and disables a user', async () => {
    const user = userEvent.setup();
    renderWithApp(<SettingsAdmin />, { route: '/settings', path: '/settings' });
    expect(within(await rowOf('clerk@acme.test')).getByRole('combobox')).toHaveValue('clerk');

    await user.type(screen.getByLabelText('E-mail'), 'new.reviewer@acme.test');
    await user.selectOptions(within(screen.getByRole('form', { name: 'Invite a user' })).getByLabelText('Role'), 'reviewer');
    await user.click(screen.getByRole('button', { name: 'Invite' }));
    const invited = await screen.findByText('new.reviewer@acme.test');
    expect(within(invited.closest('tr') as HTMLElement).getByRole('combobox')).toHaveValue('reviewer');
    expect(invited.closest('tr')).toHaveTextContent('FORCE_CHANGE_PASSWORD');

    await user.selectOptions(screen.getByLabelText('Role of clerk@acme.test'), 'reviewer');
    await waitFor(() => expect(screen.getByLabelText('Role of clerk@acme.test')).toHaveValue('reviewer'));
    await user.click(within(await rowOf('clerk@acme.test')).getByRole('button', { name: 'Disable' }));
    expect(await within(await rowOf('clerk@acme.test')).findByRole('button', { name: 'Enable' })).toBeInTheDocument();
    expect(screen.getByLabelText('Role of clerk@acme.test')).toHaveValue('reviewer');
    // And the changes are listed, newest first, with the admin as actor
    const changes = await screen.findByRole('list', { name: 'Changes' });
    expect(within(changes).getAllByRole('listitem')[0]).toHaveTextContent('admin@acme.test: user changed');
  });

  it('saves self-approval and a threshold as the next version', async () => {
    const user = userEvent.setup();
    renderWithApp(<SettingsAdmin />, { route: '/settings', path: '/settings' });
    const threshold = await screen.findByLabelText('Threshold for Total amount');
    await user.type(threshold, '97.5');
    await user.click(screen.getByRole('checkbox', { name: /decide on documents they uploaded/ }));
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Saved (version 1).')).toBeInTheDocument();
    expect(await screen.findByLabelText('Threshold for Total amount')).toHaveValue(97.5);
    expect(screen.getByRole('checkbox', { name: /decide on documents they uploaded/ })).not.toBeChecked();
  });

  it('shows a reviewer the refusal, not the settings', async () => {
    caller = { email: 'reviewer@acme.test', role: 'reviewer' };
    renderWithApp(<SettingsAdmin />, { route: '/settings', path: '/settings' });
    expect(await screen.findByText('Could not load the settings.')).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Confidence thresholds' })).not.toBeInTheDocument();
  });
});
