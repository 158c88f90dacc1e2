import { QueryClient } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { AppProvider } from '@/app/provider';
import type { AppConfig } from '@/config/env';

export const TEST_API = 'http://api.test';

export function testQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
}

/** Renders inside the app's providers and a router at `route` (matching `path`). */
export function renderWithApp(
  ui: ReactElement,
  { route = '/', path = '*', config }: { route?: string; path?: string; config?: AppConfig } = {},
): RenderResult & { client: QueryClient } {
  const client = testQueryClient();
  const result = render(
    <AppProvider config={config ?? { mode: 'live', apiBaseUrl: TEST_API, source: 'build' }} queryClient={client}>
      <MemoryRouter initialEntries={[route]}>
        <Routes>
          <Route path={path} element={ui} />
          <Route path="*" element={<p>elsewhere</p>} />
        </Routes>
      </MemoryRouter>
    </AppProvider>,
  );
  return { ...result, client };
}
