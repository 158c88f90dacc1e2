/**
 * A mock API for tests: the demo back end (the same one demo mode runs in the browser)
 * over the generated demo data, behind msw/node at TEST_API, with a clock the test controls.
 */
import { setupServer } from 'msw/node';
import { configureApi } from '@/lib/api-client';
import { DemoApi, type DemoCaller } from '@/mocks/demo-api';
import { demoHandlers } from '@/mocks/handlers';
import { demoData } from './demo-data';
import { TEST_API } from './render';

export const TEST_DATA_URL = 'http://web.test/demo/';

/** `caller`: who the demo back end answers (its role switch); a reviewer by default. */
export function createTestApi(now: () => number = Date.now, caller?: () => DemoCaller) {
  const fresh = () => demoHandlers(TEST_API, new DemoApi(demoData(), { baseUrl: TEST_API, dataUrl: TEST_DATA_URL, now, caller }));
  const server = setupServer(...fresh());
  configureApi(TEST_API);
  /** Drops test-specific handlers and starts the demo back end afresh (for afterEach). */
  const reset = () => server.resetHandlers(...fresh());
  return { server, reset };
}
