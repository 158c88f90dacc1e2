/**
 * The generated demo data (public/demo/demo.json, written by `npm run demo-data`), read
 * from disk for tests: they run against what the pipeline produced, not a copy of it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDemoData, type DemoData } from '@/mocks/demo-data';

const FILE = resolve(import.meta.dirname, '..', '..', 'public', 'demo', 'demo.json');

let cached: DemoData | null = null;

export function demoData(): DemoData {
  if (!cached) {
    if (!existsSync(FILE)) throw new Error(`No demo data at ${FILE}: run \`npm run demo-data\` first.`);
    cached = parseDemoData(JSON.parse(readFileSync(FILE, 'utf8')), FILE);
  }
  return structuredClone(cached);
}

/** The seeded job of one scene of tools/docuflow_tools/demo_data.py ("review", "failed", ...). */
export function demoScene(scene: string) {
  const data = demoData();
  const job = data.jobs.find((candidate) => candidate.scene === scene);
  if (!job) throw new Error(`The demo data has no ${scene} scene`);
  const document = data.documents.find((candidate) => candidate.name === job.document);
  if (!document) throw new Error(`The demo data has no document ${job.document}`);
  return { ...job, document };
}
