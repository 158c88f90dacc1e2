// The demo's data (public/demo/, git-ignored): `docuflow demo-data` from the tools package
// (tools/docuflow_tools/demo_data.py) generates invoices and runs them through the real
// offline OCR engine, parser, checks and routing. It needs the project's Python
// environment (`uv`, scripts/bootstrap.sh) and Tesseract for the scanned page.
//   node scripts/demo-data.mjs               (re)write it — `npm run build` and test:ci do
//   node scripts/demo-data.mjs --if-missing  only when there is none yet — dev and test
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const frontend = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(frontend, 'public', 'demo');
const SEED = process.env.DEMO_SEED ?? '1';

if (process.argv.includes('--if-missing') && existsSync(join(OUT, 'demo.json'))) process.exit(0);

const run = spawnSync('uv', ['run', '--frozen', 'docuflow', 'demo-data', OUT, '--seed', SEED], {
  cwd: resolve(frontend, '..'),
  stdio: 'inherit',
});
if (run.error) {
  console.error(
    `Could not run uv (${run.error.message}). The demo data is made by the project's Python tools: ` +
      'run ./scripts/bootstrap.sh from the repository root, then try again.',
  );
  process.exit(1);
}
process.exit(run.status ?? 1);
