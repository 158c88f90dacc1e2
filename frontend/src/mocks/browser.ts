/** Demo mode: a service worker answers the API in the browser. */
import { setupWorker } from 'msw/browser';
import { DemoApi } from './demo-api';
import { demoHandlers } from './handlers';

export async function startDemo(baseUrl: string): Promise<void> {
  const demo = new DemoApi(baseUrl, Date.now, window.sessionStorage);
  const worker = setupWorker(...demoHandlers(baseUrl, demo));
  await worker.start({
    serviceWorker: { url: '/mockServiceWorker.js' },
    onUnhandledRequest: 'bypass',
    quiet: true,
  });
}
