/**
 * Demo-mode suite (part of `npm run test:ci`): the built app served by `vite preview`
 * (with the production security headers) and no API, so the mock service worker
 * answers. Two projects: `smoke` (the checks, `npm run test:ci`) and `screenshots` (every
 * screen into ../docs/screenshots/, generated docs rather than a check: `npm run
 * screenshots`, `make screenshots`).
 */
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './playwright.shared';

const PORT = Number(process.env.DEMO_PORT ?? 4180);
const DIST = process.env.DEMO_DIST ?? 'test-results/demo-dist';

export default defineConfig({
  testDir: 'e2e/smoke',
  outputDir: 'test-results/playwright-smoke',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions,
    viewport: { width: 1440, height: 960 },
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'smoke', testIgnore: 'screenshots.spec.ts' },
    { name: 'screenshots', testMatch: 'screenshots.spec.ts' },
  ],
  webServer: {
    command: `npx vite preview --outDir ${DIST} --port ${PORT} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
