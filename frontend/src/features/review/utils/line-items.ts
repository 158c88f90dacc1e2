/**
 * The line-item grid's rows: what the reviewer typed in each cell, read into the values
 * the API takes (`corrected_line_items`), or why a cell cannot be read.
 */
import { readTypedAmount } from '@/lib/money';
import type { CorrectedLineItem, LineItem } from '@/types/api';

export const LINE_COLUMNS = ['description', 'quantity', 'unit_price', 'amount', 'tax_rate'] as const;
export type LineColumn = (typeof LINE_COLUMNS)[number];

export const COLUMN_LABELS: Record<LineColumn, string> = {
  description: 'Description',
  quantity: 'Qty',
  unit_price: 'Unit price',
  amount: 'Amount',
  tax_rate: 'Tax %',
};

export interface LineRow {
  /** Stable across edits (React key, focus). */
  key: string;
  /** The read line (1-based) this row stands for; null when the reviewer added it. */
  line: number | null;
  cells: Record<LineColumn, string>;
}

export function rowsOf(items: LineItem[]): LineRow[] {
  return items.map((item, index) => ({
    key: `read-${index + 1}`,
    line: index + 1,
    cells: {
      description: item.description ?? '',
      quantity: item.quantity ?? '',
      unit_price: item.unit_price ?? '',
      amount: item.amount ?? '',
      tax_rate: item.tax_rate ?? '',
    },
  }));
}

export type CellReading = { ok: true; value: string | null } | { ok: false; error: string };

/** One cell read: amounts in the currency, quantities and prices as plain decimals, rates 0-100. */
export function readCell(column: LineColumn, raw: string, currency: string | null): CellReading {
  const text = raw.trim();
  if (text === '') return { ok: true, value: null };
  if (column === 'description') return { ok: true, value: text.replace(/\s+/g, ' ') };
  const reading = readTypedAmount(text, column === 'amount' ? currency : null);
  if (!reading.ok) return reading;
  if (column === 'tax_rate' && (Number(reading.value) < 0 || Number(reading.value) > 100)) {
    return { ok: false, error: 'A tax rate is a percentage from 0 to 100.' };
  }
  return reading;
}

/** The rows as the API's `corrected_line_items`, or the first cell that cannot be read. */
export function correctedLines(
  rows: LineRow[],
  currency: string | null,
): { ok: true; lines: CorrectedLineItem[] } | { ok: false; error: string } {
  const lines: CorrectedLineItem[] = [];
  for (const [index, row] of rows.entries()) {
    const line: CorrectedLineItem = row.line === null ? {} : { line: row.line };
    for (const column of LINE_COLUMNS) {
      const reading = readCell(column, row.cells[column], currency);
      if (!reading.ok) return { ok: false, error: `Line ${index + 1}, ${COLUMN_LABELS[column]}: ${reading.error}` };
      if (reading.value !== null) line[column] = reading.value;
    }
    if (LINE_COLUMNS.every((column) => line[column] === undefined)) {
      return { ok: false, error: `Line ${index + 1} is empty: fill it in or delete it.` };
    }
    lines.push(line);
  }
  return { ok: true, lines };
}

/** Whether the rows differ from the lines as read. */
export function linesChanged(rows: LineRow[], read: LineItem[]): boolean {
  return JSON.stringify(rows.map((r) => [r.line, r.cells])) !== JSON.stringify(rowsOf(read).map((r) => [r.line, r.cells]));
}

/** A line as the audit and the job's `line_corrections` carry it. */
type Line = Record<string, unknown>;

const text = (line: Line | undefined, column: string) => {
  const value = line?.[column];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
};

const describe = (line: Line) =>
  LINE_COLUMNS.map((column) => text(line, column) && `${COLUMN_LABELS[column]} ${text(line, column)}`)
    .filter(Boolean)
    .join(', ');

/** What a line correction did, in words: each edited line's changed cells, added and deleted lines. */
export function lineChanges(before: Line[], after: Line[]): string[] {
  const changes: string[] = [];
  const kept = new Set<number>();
  for (const line of after) {
    const number = typeof line.line === 'number' ? line.line : null;
    if (number === null) {
      changes.push(`Added a line: ${describe(line)}`);
      continue;
    }
    kept.add(number);
    const read = before[number - 1];
    const edits = LINE_COLUMNS.filter((column) => text(read, column) !== text(line, column)).map(
      (column) => `${COLUMN_LABELS[column]} ${text(read, column) || '—'} → ${text(line, column) || '—'}`,
    );
    if (edits.length) changes.push(`Line ${number}: ${edits.join(', ')}`);
  }
  before.forEach((line, index) => {
    if (!kept.has(index + 1)) changes.push(`Deleted line ${index + 1}: ${describe(line)}`);
  });
  return changes;
}
