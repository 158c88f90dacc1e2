// The zod schemas of the API, generated from its OpenAPI document (openapi-ts.config.ts
// names it) with @hey-api/openapi-ts and committed in src/types/generated/.
//   node scripts/api-types.mjs          regenerate them (npm run api:generate)
//   node scripts/api-types.mjs --check  fail when the committed ones differ from what the
//                                       document gives now (part of npm run lint)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GENERATED_DIR = 'src/types/generated';
const check = process.argv.includes('--check');

function generate(out) {
  const run = spawnSync('npx', ['openapi-ts', '--file', 'openapi-ts.config.ts'], {
    env: { ...process.env, API_TYPES_OUT: out },
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    process.stderr.write(run.stdout + run.stderr);
    console.error(`openapi-ts failed (exit ${run.status}); see above`);
    process.exit(1);
  }
}

const files = (dir) => readdirSync(dir).sort();

if (!check) {
  generate(GENERATED_DIR);
  console.log(`API schemas written to ${GENERATED_DIR}: ${files(GENERATED_DIR).join(', ')}`);
  process.exit(0);
}

const scratch = mkdtempSync(join(tmpdir(), 'docuflow-api-types-'));
try {
  generate(scratch);
  const expected = files(scratch);
  const actual = files(GENERATED_DIR);
  const stale = [...new Set([...expected, ...actual])].filter(
    (name) =>
      !expected.includes(name) ||
      !actual.includes(name) ||
      readFileSync(join(scratch, name), 'utf8') !== readFileSync(join(GENERATED_DIR, name), 'utf8'),
  );
  if (stale.length) {
    console.error(
      `${GENERATED_DIR} is out of date with the OpenAPI document (${stale.join(', ')}): ` +
        'run `npm run api:generate` and commit the result.',
    );
    process.exit(1);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
