import { forwardRef, useEffect, useId, useRef, useState } from 'react';
import { FieldConfidence } from '@/components/FieldConfidence';
import { LOW_CONFIDENCE, confidencePercent } from '@/lib/confidence';
import { fieldLabel } from '@/lib/format';
import type { ExtractedField, ReviewReason } from '@/types/api';
import { formatMoney } from '@/lib/money';
import { MONEY_FIELDS } from '@/types/domain';
import { inputHint, readFieldInput } from '../utils/validate-field';

export interface FieldRowProps {
  name: string;
  field: ExtractedField | undefined;
  /** The invoice's currency (as corrected): amounts are read and shown in it. */
  currency: string | null;
  /** It was flagged when read, and the checks with the pending corrections no longer flag it. */
  fixed?: boolean;
  correction: string | undefined;
  reasons: ReviewReason[];
  active: boolean;
  editing: boolean;
  /** The job is decided: show, do not offer changes. */
  readOnly?: boolean;
  onActivate: () => void;
  onEdit: () => void;
  onCancelEdit: () => void;
  /** A new value (already checked), or null to go back to the extracted value. */
  onCorrect: (value: string | null) => void;
}

/** One field: its value, confidence, why it is flagged, alternatives, inline edit. */
export const FieldRow = forwardRef<HTMLDivElement, FieldRowProps>(function FieldRow(
  { name, field, currency, fixed = false, correction, reasons, active, editing, readOnly = false, onActivate, onEdit, onCancelEdit, onCorrect },
  ref,
) {
  const label = fieldLabel(name);
  const current = correction ?? field?.value ?? '';
  const [draft, setDraft] = useState(current);
  const [touched, setTouched] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const errorId = useId();
  const hintId = useId();
  const reading = readFieldInput(name, draft, currency);
  const error = touched && !reading.ok ? reading.error : null;
  const understood = reading.ok && reading.value !== draft.trim() ? reading.value : null;

  useEffect(() => {
    if (editing) {
      setDraft(current);
      setTouched(false);
      input.current?.focus();
      input.current?.select();
    }
    // Reset the draft only when an edit starts.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [editing]);

  const save = () => {
    setTouched(true);
    if (!reading.ok) return;
    onCorrect(reading.value === field?.value ? null : reading.value);
  };

  const flagged =
    !fixed && (reasons.length > 0 || (field !== undefined && field.confidence < LOW_CONFIDENCE && correction === undefined) || (field === undefined && correction === undefined));
  const alternatives = (field?.alternatives ?? []).filter((alt) => alt.value !== current);

  return (
    <div
      ref={ref}
      className={`field-row${active ? ' field-row--active' : ''}${flagged ? ' field-row--flagged' : ''}${fixed ? ' field-row--fixed' : ''}`}
      data-field={name}
      data-testid={`field-${name}`}
      role="group"
      aria-label={label}
      tabIndex={-1}
      onFocus={onActivate}
      onClick={onActivate}
    >
      <div className="field-row__head">
        <span className="field-row__label">
          {label}
          {fixed && <span className="tag tag--fixed"> ✓ fixed</span>}
        </span>
        {field ? <FieldConfidence field={field} /> : <span className="muted">not found</span>}
      </div>
      {editing ? (
        <form
          className="field-row__edit"
          onSubmit={(event) => {
            event.preventDefault();
            save();
          }}
        >
          <input
            ref={input}
            value={draft}
            aria-label={`New value for ${label}`}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${error ? errorId : ''} ${inputHint(name) ? hintId : ''}`.trim() || undefined}
            placeholder={inputHint(name)}
            onChange={(event) => setDraft(event.target.value)}
            onBlur={() => setTouched(true)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                event.preventDefault();
                onCancelEdit();
              }
            }}
          />
          <button type="submit" className="button button--small button--primary">
            Save
          </button>
          <button type="button" className="button button--small" onClick={onCancelEdit}>
            Cancel
          </button>
          {inputHint(name) && (
            <span id={hintId} className="muted field-row__hint">
              Format: {inputHint(name)}
            </span>
          )}
          {understood !== null && !error && (
            <p className="field-row__understood" role="status" data-testid="understood">
              Understood as <strong>{understood}</strong>
              {MONEY_FIELDS.has(name) && currency ? ` (${formatMoney(understood, currency)})` : ''}
            </p>
          )}
          {error && (
            <p id={errorId} className="error-text" role="alert">
              {error}
            </p>
          )}
        </form>
      ) : (
        <div className="field-row__value">
          <span className="field-row__text" data-testid="field-value" data-value={current}>
            {current ? (MONEY_FIELDS.has(name) ? formatMoney(current, currency) : current) : <em className="muted">empty</em>}
          </span>
          {correction !== undefined && (
            <span className="tag tag--corrected">
              corrected{field ? ` from ${MONEY_FIELDS.has(name) ? formatMoney(field.value, currency) : field.value}` : ''}
            </span>
          )}
          {!readOnly && (
            <button type="button" className="button button--small" onClick={onEdit} aria-label={`Edit ${label}`}>
              Edit
            </button>
          )}
          {correction !== undefined && (
            <button type="button" className="button button--small" onClick={() => onCorrect(null)} aria-label={`Undo correction of ${label}`}>
              Undo
            </button>
          )}
        </div>
      )}
      {field && field.text !== field.value && <p className="muted field-row__printed">Printed as “{field.text}”</p>}
      {reasons.map((reason, index) => (
        <p key={`${reason.code}-${index}`} className="field-row__reason">
          {reason.message}
        </p>
      ))}
      {alternatives.length > 0 && !editing && !readOnly && (
        <div className="field-row__alternatives">
          <span className="muted">Other readings:</span>
          {alternatives.map((alt, index) => (
            <button
              type="button"
              key={`${alt.value}-${index}`}
              className="button button--small button--ghost"
              onClick={() => onCorrect(alt.value === field?.value ? null : alt.value)}
            >
              Use {alt.value} <span className="muted">({confidencePercent(alt.confidence)}%{alt.label ? `, “${alt.label}”` : ''})</span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
});
