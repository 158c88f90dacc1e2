// The demo's data (public/demo/, git-ignored): `docuflow demo-data` from the tools package
// (tools/docuflow_tools/demo_data.py) generates invoices and runs them through the real
// offline OCR engine, parser, checks and routing. It needs the project's Python
// environment (`uv`, scripts/bootstrap.sh) and Tesseract for the scanned page.
//   node scripts/demo-data.mjs               (re)write it unless the data on disk was made
//                                            from exactly these sources and this seed —
//                                            `npm run build` and test:ci do
//   node scripts/demo-data.mjs --if-missing  only when there is none yet — dev and test
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const frontend = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repo = resolve(frontend, '..');
const OUT = join(frontend, 'public', 'demo');
const STAMP = join(OUT, '.sources.sha256');
const SEED = process.env.DEMO_SEED ?? '1';
// Everything the demo data is computed from: the Python code and the lock. A build that
// finds data made from the same bytes reuses it (it is deterministic), so `make test`
// does not make it twice (test-web, then the e2e suite's web build).
const SOURCES = ['shared/docuflow', 'services', 'tools/docuflow_tools', 'uv.lock'];

function files(path) {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path)
    .filter((name) => name !== '__pycache__')
    .sort()
    .flatMap((name) => files(join(path, name)));
}

function sourcesDigest() {
  const hash = createHash('sha256').update(`seed=${SEED}\n`);
  for (const file of SOURCES.flatMap((source) => files(join(repo, source)))) {
    if (file.endsWith('.pyc')) continue;
    hash.update(`${relative(repo, file)}\n`).update(readFileSync(file));
  }
  return hash.digest('hex');
}

if (process.argv.includes('--if-missing') && existsSync(join(OUT, 'demo.json'))) process.exit(0);
const digest = sourcesDigest();
if (existsSync(join(OUT, 'demo.json')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === digest) {
  console.log('demo data: up to date with its sources, kept');
  process.exit(0);
}

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
if (run.status === 0) writeFileSync(STAMP, digest);
process.exit(run.status ?? 1);
