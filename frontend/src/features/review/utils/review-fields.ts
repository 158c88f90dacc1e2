import type { ExtractionResult } from '@/types/api';
import { FIELD_NAMES, REQUIRED_FIELDS } from '@/types/domain';
import type { FieldBox } from '../components/PageOverlay';

/** The fields a reviewer sees: every extracted one, plus required or flagged ones that are missing. */
export function reviewFieldNames(result: ExtractionResult | null): string[] {
  if (!result) return [];
  const fields = result.fields ?? {};
  // Line items have their own grid, not a text field.
  const flagged = new Set(
    (result.routing.reasons ?? []).map((r) => r.field).filter((f): f is string => Boolean(f) && f !== 'line_items'),
  );
  const wanted = (name: string) => name in fields || REQUIRED_FIELDS.includes(name) || flagged.has(name);
  const known = FIELD_NAMES.filter(wanted);
  const extra = [...Object.keys(fields), ...flagged].filter(
    (name, index, all) => !(FIELD_NAMES as readonly string[]).includes(name) && all.indexOf(name) === index,
  );
  return [...known, ...extra];
}

/** The overlay's name for read line `n` (1-based). */
export const lineBoxName = (n: number) => `line_items.${n}`;

/** A box for every field and every read line that has one. */
export function fieldBoxes(result: ExtractionResult | null): FieldBox[] {
  if (!result) return [];
  const fields = Object.entries(result.fields ?? {}).flatMap(([field, value]) =>
    value.bbox ? [{ field, page: value.page ?? 1, bbox: value.bbox }] : [],
  );
  const lines = (result.line_items ?? []).flatMap((item, index) =>
    item.bbox ? [{ field: lineBoxName(index + 1), page: item.page ?? 1, bbox: item.bbox }] : [],
  );
  return [...fields, ...lines];
}
