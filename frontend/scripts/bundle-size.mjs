// Prints the gzip size of the JavaScript the browser loads before the app can start:
// the entry chunk and every chunk it imports statically (from Vite's manifest).
// Lazy chunks (pdf.js, the demo's mock API) are listed separately. Fails above budget.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';

const BUDGET_BYTES = 150 * 1024;
const dist = resolve(process.argv[2] ?? 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
const gzipSize = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

const entry = Object.entries(manifest).find(([, chunk]) => chunk.isEntry);
if (!entry) throw new Error('No entry chunk in the Vite manifest');
const initial = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk || initial.has(chunk.file)) return;
  initial.add(chunk.file);
  for (const imported of chunk.imports ?? []) visit(imported);
};
visit(entry[0]);

let total = 0;
for (const file of initial) total += gzipSize(file);
const lazy = Object.values(manifest)
  .filter((chunk) => chunk.file.endsWith('.js') && !initial.has(chunk.file))
  .map((chunk) => ({ file: chunk.file, size: gzipSize(chunk.file) }))
  .sort((a, b) => b.size - a.size);

console.log(`Initial JS (gzip): ${kib(total)} in ${initial.size} file(s) — budget ${kib(BUDGET_BYTES)}`);
for (const file of initial) console.log(`  ${file}  ${kib(gzipSize(file))}`);
console.log('Loaded on demand (gzip):');
for (const chunk of lazy.slice(0, 8)) console.log(`  ${chunk.file}  ${kib(chunk.size)}`);
if (total > BUDGET_BYTES) {
  console.error(`Initial JS is over budget by ${kib(total - BUDGET_BYTES)}`);
  process.exit(1);
}
