import { useRef, type KeyboardEvent } from 'react';
import { formatMoney } from '@/lib/format';
import { COLUMN_LABELS, LINE_COLUMNS, readCell, type LineColumn, type LineRow } from '../utils/line-items';

export interface LineItemGridProps {
  rows: LineRow[];
  currency: string | null;
  readOnly: boolean;
  /** The read line whose box is highlighted on the page. */
  activeLine: number | null;
  failing: boolean;
  onChange: (rows: LineRow[]) => void;
  onSelectLine: (line: number | null) => void;
}

let added = 0;

/**
 * The invoice's line items as an editable grid: arrow keys (and Enter) move between
 * cells, a focused read line shows its box on the page, lines can be added and deleted.
 * What a cell is understood as (an amount typed `1.234,50`) is shown under it.
 */
export function LineItemGrid({ rows, currency, readOnly, activeLine, failing, onChange, onSelectLine }: LineItemGridProps) {
  const table = useRef<HTMLTableElement>(null);

  const focusCell = (row: number, column: number) => {
    const cell = table.current?.querySelector<HTMLInputElement>(`[data-cell="${row}:${column}"]`);
    cell?.focus();
    cell?.select();
  };

  const onKey = (event: KeyboardEvent<HTMLInputElement>, row: number, column: number) => {
    const input = event.currentTarget;
    const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    const atEnd = input.selectionStart === input.value.length;
    const moves: Record<string, [number, number] | null> = {
      ArrowDown: [row + 1, column],
      Enter: [row + 1, column],
      ArrowUp: [row - 1, column],
      ArrowLeft: atStart ? [row, column - 1] : null,
      ArrowRight: atEnd ? [row, column + 1] : null,
    };
    const target = moves[event.key];
    if (!target) return;
    const [toRow, toColumn] = target;
    if (toRow < 0 || toRow >= rows.length || toColumn < 0 || toColumn >= LINE_COLUMNS.length) return;
    event.preventDefault();
    focusCell(toRow, toColumn);
  };

  const edit = (index: number, column: LineColumn, value: string) =>
    onChange(rows.map((row, at) => (at === index ? { ...row, cells: { ...row.cells, [column]: value } } : row)));

  return (
    <div className={`line-grid${failing ? ' line-grid--failing' : ''}`}>
      <div className="line-grid__scroll">
        <table ref={table} className="line-grid__table" aria-label="Line items">
          <thead>
            <tr>
              <th scope="col">#</th>
              {LINE_COLUMNS.map((column) => (
                <th key={column} scope="col">
                  {COLUMN_LABELS[column]}
                </th>
              ))}
              {!readOnly && (
                <th scope="col">
                  <span className="visually-hidden">Delete</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr
                key={row.key}
                data-testid={`line-${index + 1}`}
                className={row.line !== null && row.line === activeLine ? 'line-grid__row--active' : undefined}
                onFocus={() => onSelectLine(row.line)}
              >
                <th scope="row">{row.line === null ? <span title="Added by you">+</span> : index + 1}</th>
                {LINE_COLUMNS.map((column, columnIndex) => {
                  const reading = readCell(column, row.cells[column], currency);
                  // What will be saved, when it is not what was typed (`1.234,50` = 1234.50).
                  const shown =
                    reading.ok && reading.value !== null && column !== 'description' && reading.value !== row.cells[column].trim()
                      ? reading.value
                      : null;
                  const label = `Line ${index + 1} ${COLUMN_LABELS[column]}`;
                  return (
                    <td key={column} className={`line-grid__cell line-grid__cell--${column}`}>
                      {readOnly ? (
                        <span>{column === 'amount' && row.cells.amount ? formatMoney(row.cells.amount, currency) : row.cells[column]}</span>
                      ) : (
                        <>
                          <input
                            data-cell={`${index}:${columnIndex}`}
                            aria-label={label}
                            aria-invalid={reading.ok ? undefined : true}
                            title={reading.ok ? undefined : reading.error}
                            value={row.cells[column]}
                            inputMode={column === 'description' ? 'text' : 'decimal'}
                            onChange={(event) => edit(index, column, event.target.value)}
                            onKeyDown={(event) => onKey(event, index, columnIndex)}
                          />
                          {shown !== null && <span className="line-grid__understood">= {shown}</span>}
                          {!reading.ok && <span className="error-text line-grid__error">{reading.error}</span>}
                        </>
                      )}
                    </td>
                  );
                })}
                {!readOnly && (
                  <td>
                    <button
                      type="button"
                      className="button button--small button--ghost"
                      aria-label={`Delete line ${index + 1}`}
                      onClick={() => onChange(rows.filter((_, at) => at !== index))}
                    >
                      ✕
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length === 0 && <p className="muted">No line items.</p>}
      {!readOnly && (
        <button
          type="button"
          className="button button--small"
          onClick={() => {
            added += 1;
            onChange([
              ...rows,
              { key: `added-${added}`, line: null, cells: { description: '', quantity: '', unit_price: '', amount: '', tax_rate: '' } },
            ]);
            requestAnimationFrame(() => focusCell(rows.length, 0));
          }}
        >
          Add line
        </button>
      )}
    </div>
  );
}
