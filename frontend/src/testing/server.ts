/**
 * A mock API for tests: the demo back end (the same one demo mode runs in the
 * browser) behind msw/node, at TEST_API, with a clock the test controls.
 */
import { setupServer } from 'msw/node';
import { configureApi } from '@/lib/api-client';
import { DemoApi } from '@/mocks/demo-api';
import { demoHandlers } from '@/mocks/handlers';
import { TEST_API } from './render';

export function createTestApi(now: () => number = Date.now) {
  const demo = new DemoApi(TEST_API, now, null);
  const server = setupServer(...demoHandlers(TEST_API, demo));
  configureApi(TEST_API);
  return { demo, server };
}
