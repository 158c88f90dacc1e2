import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setSession } from '@/lib/session';
import { TEST_API } from '@/testing/render';
import { AppProvider } from './provider';
import { Layout } from './Layout';

function renderApp() {
  return render(
    <AppProvider config={{ mode: 'live', apiBaseUrl: TEST_API, source: 'build' }}>
      <MemoryRouter initialEntries={['/']}>
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<h1>Upload</h1>} />
            <Route path="jobs" element={<h1>Jobs</h1>} />
          </Route>
        </Routes>
      </MemoryRouter>
    </AppProvider>,
  );
}

describe('page changes', () => {
  beforeEach(() => {
    setSession({ email: 'clerk@acme.test', tenant: 'acme', role: 'clerk', idToken: () => Promise.resolve(null), signOut: () => undefined });
  });
  afterEach(() => {
    setSession(null);
  });

  it('name the page in the tab title and move focus to its heading, but not on the first load', async () => {
    const user = userEvent.setup();
    renderApp();
    expect(document.title).toBe('Upload · DocuFlow OCR');
    expect(screen.getByRole('heading', { level: 1 })).not.toHaveFocus();

    await user.click(screen.getByRole('link', { name: 'Jobs' }));
    const heading = screen.getByRole('heading', { level: 1, name: 'Jobs' });
    expect(heading).toHaveFocus();
    expect(document.title).toBe('Jobs · DocuFlow OCR');
  });
});
