/** Demo mode: a service worker answers the API in the browser, over the generated demo data. */
import { setupWorker } from 'msw/browser';
import { getSession } from '@/lib/session';
import { DemoApi } from './demo-api';
import { DEMO_DATA_PATH, loadDemoData } from './demo-data';
import { demoHandlers } from './handlers';

export async function startDemo(baseUrl: string): Promise<void> {
  const dataUrl = new URL(DEMO_DATA_PATH, window.location.origin).href;
  const data = await loadDemoData(dataUrl);
  const demo = new DemoApi(data, {
    baseUrl,
    dataUrl,
    storage: window.sessionStorage,
    // The role switch's user; a reviewer until the app has set one.
    caller: () => getSession() ?? { email: 'reviewer@acme.test', role: 'reviewer' },
  });
  const worker = setupWorker(...demoHandlers(baseUrl, demo));
  await worker.start({
    serviceWorker: { url: '/mockServiceWorker.js' },
    onUnhandledRequest: 'bypass',
    quiet: true,
  });
}
