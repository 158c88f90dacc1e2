/**
 * The live suite (`npm run test:e2e`): the app served by the local cloud (`docuflow
 * up`), already pointed at the real API. WEB_URL is required; API_BASE_URL, when given,
 * lets the test check the API's own view as well.
 */
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './playwright.shared';

const webUrl = process.env.WEB_URL;
if (!webUrl) {
  throw new Error('WEB_URL is not set: start the local cloud (`make up`) and pass the WEB_URL it prints.');
}

export default defineConfig({
  testDir: 'e2e/live',
  outputDir: 'test-results/playwright-live',
  timeout: 240_000,
  expect: { timeout: 20_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: webUrl,
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions,
    viewport: { width: 1440, height: 960 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
