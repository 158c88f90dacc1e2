// `npm run test:ci`: the demo data (made by `docuflow demo-data`, the real pipeline code, or
// kept when it was made from the same sources), component and hook tests (Vitest) over it, then the demo build (with
// its size check), then the browser suite against `vite preview` of that build: the
// demo flow, every screen at 390 px, axe-core accessibility checks. The screenshots into
// ../docs/screenshots/ are generated docs, not a check: `npm run screenshots`
// (`make screenshots`) makes them.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';

const DEMO_DIST = 'test-results/demo-dist';
const env = {
  ...process.env,
  // The demo build: no API at build time, so the app runs on its mock service worker.
  VITE_API_BASE_URL: '',
  DEMO_DIST,
  // Playwright drives Debian's chromium; it must never fetch a browser of its own.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
};

// `--screenshots` (`npm run screenshots`): only what docs/screenshots/ needs.
const screenshotsOnly = process.argv.includes('--screenshots');
const steps = [
  ['demo data (docuflow demo-data)', 'node', ['scripts/demo-data.mjs']],
  ...(screenshotsOnly ? [] : [['unit and component tests', 'npx', ['vitest', 'run']]]),
  ['demo build', 'npx', ['vite', 'build', '--outDir', DEMO_DIST, '--logLevel', 'warn']],
  ...(screenshotsOnly
    ? [['screenshots (demo mode)', 'npx', ['playwright', 'test', '--config', 'playwright.config.ts', '--project', 'screenshots']]]
    : [
        ['initial bundle size', 'node', ['scripts/bundle-size.mjs', DEMO_DIST]],
        ['browser tests (demo mode, accessibility, 390 px)', 'npx', ['playwright', 'test', '--config', 'playwright.config.ts', '--project', 'smoke']],
      ]),
];

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(`No browser at ${chromium}: install Debian's chromium (scripts/bootstrap.sh does) or set CHROMIUM_PATH.`);
  process.exit(1);
}

rmSync(DEMO_DIST, { recursive: true, force: true });
for (const [name, command, args] of steps) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const run = spawnSync(command, args, { stdio: 'inherit', env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (run.status !== 0) {
    console.error(`✖ ${name} failed after ${seconds}s`);
    process.exit(run.status ?? 1);
  }
  console.log(`✔ ${name} (${seconds}s)`);
}
