/**
 * A reviewer's unsent corrections to one job, kept in localStorage per job so they survive
 * `n`, following a link and a reload. A draft belongs to the version of the job it was made
 * on: once the job changed (someone decided, or it was processed again) it is dropped, as
 * the corrections were made against values that are gone. Sending the decision or
 * discarding the draft removes it.
 */
import { z } from 'zod';
import type { LineRow } from './line-items';

const PREFIX = 'docuflow.draft.';

const cells = z.object({
  description: z.string(),
  quantity: z.string(),
  unit_price: z.string(),
  amount: z.string(),
  tax_rate: z.string(),
}) satisfies z.ZodType<LineRow['cells']>;
const draftSchema = z.object({
  version: z.number().int(),
  corrections: z.record(z.string(), z.string()),
  lines: z.array(z.object({ key: z.string(), line: z.number().int().nullable(), cells })).nullable(),
});

export type Draft = z.infer<typeof draftSchema>;

/** The draft kept for this version of the job, or null (none, stale, or unreadable). */
export function loadDraft(jobId: string, version: number): Draft | null {
  let raw: string | null;
  try {
    raw = localStorage.getItem(PREFIX + jobId);
  } catch {
    return null;
  }
  if (raw === null) return null;
  let parsed: ReturnType<typeof draftSchema.safeParse>;
  try {
    parsed = draftSchema.safeParse(JSON.parse(raw));
  } catch {
    parsed = draftSchema.safeParse(null);
  }
  if (!parsed.success || parsed.data.version !== version) {
    saveDraft(jobId, null);
    return null;
  }
  return parsed.data;
}

/** Keeps the draft, or removes it when there is nothing in it (null). */
export function saveDraft(jobId: string, draft: Draft | null): void {
  try {
    if (draft === null) localStorage.removeItem(PREFIX + jobId);
    else localStorage.setItem(PREFIX + jobId, JSON.stringify(draft));
  } catch {
    // private mode or a full storage: the draft lives as long as the page
  }
}

export function isEmptyDraft(corrections: Record<string, string>, lines: LineRow[] | null): boolean {
  return Object.keys(corrections).length === 0 && lines === null;
}
