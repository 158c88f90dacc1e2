// `npm run test:e2e` needs the running local cloud: refuse clearly without it.
import { existsSync } from 'node:fs';

const missing = ['WEB_URL'].filter((name) => !process.env[name]);
if (missing.length) {
  console.error(
    `test:e2e drives the app served by the local cloud and needs ${missing.join(', ')}.\n` +
      'Start it with `make up` (or `uv run --frozen docuflow up`), then run e.g.\n' +
      '  WEB_URL=http://127.0.0.1:4173 API_BASE_URL=<the API_BASE_URL it printed> npm run test:e2e',
  );
  process.exit(2);
}
for (const name of ['WEB_URL', 'API_BASE_URL']) {
  const value = process.env[name];
  if (value && !/^https?:\/\/\S+$/.test(value)) {
    console.error(`${name} must be an http(s) URL, got ${JSON.stringify(value)}`);
    process.exit(2);
  }
}
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(`No browser at ${chromium}: install Debian's chromium (scripts/bootstrap.sh does) or set CHROMIUM_PATH.`);
  process.exit(2);
}
