/**
 * The demo's data: jobs, audit trails and results written at build time by
 * `docuflow demo-data public/demo` (tools/docuflow_tools/demo_data.py), which runs the
 * real sample generator, offline OCR engine, parser, checks and routing. Nothing here
 * computes a result; the demo only serves what the pipeline produced.
 */
import { z } from 'zod';
import { auditEventSchema, extractionResultSchema, jobSchema, vendorDetailSchema } from '@/types/api';

/** Where the build serves the data (frontend/public/demo/, git-ignored). */
export const DEMO_DATA_PATH = '/demo/';

export const demoDataSchema = z.object({
  format: z.literal('docuflow-demo/1'),
  generated: z.literal(true),
  about: z.string(),
  seed: z.number().int(),
  documents: z.array(
    z.object({
      name: z.string().min(1),
      /** Relative to the data folder, e.g. `documents/review-066178.pdf`. */
      file: z.string().min(1),
      content_type: z.string(),
      size_bytes: z.number().int(),
      sha256: z.string(),
      pages: z.number().int(),
      invoice_key: z.string().nullable(),
      result: extractionResultSchema,
    }),
  ),
  jobs: z.array(
    z.object({
      scene: z.string(),
      about: z.string(),
      document: z.string(),
      job: jobSchema,
      audit: z.array(auditEventSchema),
    }),
  ),
  /** Documents that successive uploads "read", in turn. */
  uploads_read: z.array(z.string()).min(1),
  /** The vendor memory the seeded jobs left, per tenant (the clerk, until sign-in). */
  vendors: z.array(z.object({ tenant_id: z.string(), detail: vendorDetailSchema })),
  /** The demo's "now" (the jobs' times are before it). */
  reference_time: z.iso.datetime(),
  /** GENERATED: the dashboard's daily roll-up before the jobs' own days (ADR 0035). */
  history: z.array(z.object({ day: z.iso.date(), counters: z.record(z.string(), z.number().int()) })),
  /** The roll-up's duration buckets (seconds), as services/common/stats.py has them. */
  histogram_bounds: z.array(z.number().int().positive()).min(1),
  /** USD per page by OCR mode (the API's default price settings). */
  ocr_prices: z.record(z.string(), z.string()),
});
export type DemoData = z.infer<typeof demoDataSchema>;
export type DemoDocument = DemoData['documents'][number];

export class DemoDataError extends Error {
  override name = 'DemoDataError';
}

/** Checks the data against the API's schemas and that every reference resolves. */
export function parseDemoData(raw: unknown, from: string): DemoData {
  const parsed = demoDataSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'unknown';
    throw new DemoDataError(`The demo data at ${from} does not match the API's shapes (${where}).`);
  }
  const names = new Set(parsed.data.documents.map((document) => document.name));
  const missing = [...parsed.data.jobs.map((job) => job.document), ...parsed.data.uploads_read].filter(
    (name) => !names.has(name),
  );
  if (missing.length) throw new DemoDataError(`The demo data at ${from} names unknown documents: ${missing.join(', ')}.`);
  return parsed.data;
}

/** Fetches and checks `demo.json` under `baseUrl` (an absolute URL ending in a slash). */
export async function loadDemoData(baseUrl: string, fetchImpl: typeof fetch = fetch): Promise<DemoData> {
  const url = new URL('demo.json', baseUrl).href;
  const response = await fetchImpl(url, { headers: { Accept: 'application/json' } });
  const type = response.headers.get('content-type') ?? '';
  if (!response.ok || !type.includes('json')) {
    throw new DemoDataError(
      `The demo data is missing (${url}: HTTP ${response.status}). Build the app with \`npm run build\`, which writes it with \`docuflow demo-data\`.`,
    );
  }
  return parseDemoData(await response.json(), url);
}
