import { forwardRef, useId, useImperativeHandle, useRef, useState } from 'react';
import { ApiError } from '@/lib/api-client';
import { ErrorMessage } from '@/components/Feedback';
import type { Decision } from '../api/submit-decision';
import { useShortcutsEnabled } from '../hooks/shortcut-setting';

export interface DecisionPanelHandle {
  choose: (decision: Decision) => void;
}

export interface BlockingCheck {
  check: string;
  message: string;
}

export interface DecisionPanelProps {
  corrections: number;
  /** Checks that fail with the pending corrections and block an approval without an override. */
  blocking: BlockingCheck[];
  pending: boolean;
  error: unknown;
  blockedReason: string | null;
  warnings: string[];
  onSubmit: (decision: Decision, reason: string, overrideReason: string | null) => void;
  onReload: () => void;
}

/**
 * Approve or reject, with a reason (required to reject). An approval while a blocking
 * check fails (the server's re-score says which) asks for an override reason up front;
 * if the API still refuses one with OVERRIDE_REQUIRED (the index changed meanwhile), its
 * message is shown and an override reason is asked for before it is sent again.
 */
export const DecisionPanel = forwardRef<DecisionPanelHandle, DecisionPanelProps>(function DecisionPanel(
  { corrections, blocking, pending, error, blockedReason, warnings, onSubmit, onReload },
  ref,
) {
  const shortcuts = useShortcutsEnabled();
  const [decision, setDecision] = useState<Decision | null>(null);
  const [reason, setReason] = useState('');
  const [missingReason, setMissingReason] = useState(false);
  const [overrideReason, setOverrideReason] = useState('');
  const reasonBox = useRef<HTMLTextAreaElement>(null);
  const overrideBox = useRef<HTMLTextAreaElement>(null);
  const overrideId = useId();
  const confirm = useRef<HTMLButtonElement>(null);
  const reasonId = useId();
  const errorId = useId();

  const choose = (next: Decision) => {
    setDecision(next);
    setMissingReason(false);
    // Focus after the panel has rendered the chosen mode.
    requestAnimationFrame(() => (next === 'REJECT' ? reasonBox.current : confirm.current)?.focus());
  };
  useImperativeHandle(ref, () => ({ choose }));

  const overrideRequired = error instanceof ApiError && error.code === 'OVERRIDE_REQUIRED' ? error : null;
  const asksOverride = (overrideRequired !== null || blocking.length > 0) && decision === 'APPROVE';
  const conflict = error instanceof ApiError && error.status === 409 && overrideRequired === null;

  return (
    <section className="decision panel" aria-labelledby="decision-heading">
      <h2 id="decision-heading">Decision</h2>
      {warnings.map((warning) => (
        <p key={warning} className="warning-text">
          {warning}
        </p>
      ))}
      <div className="decision__choices">
        <button
          type="button"
          className={`button${decision === 'APPROVE' ? ' button--primary' : ''}`}
          aria-pressed={decision === 'APPROVE'}
          onClick={() => choose('APPROVE')}
        >
          Approve{shortcuts && <> <kbd>a</kbd></>}
        </button>
        <button
          type="button"
          className={`button${decision === 'REJECT' ? ' button--danger' : ''}`}
          aria-pressed={decision === 'REJECT'}
          onClick={() => choose('REJECT')}
        >
          Reject{shortcuts && <> <kbd>r</kbd></>}
        </button>
      </div>
      {decision && (
        <form
          className="decision__form"
          onSubmit={(event) => {
            event.preventDefault();
            if (decision === 'REJECT' && reason.trim() === '') {
              setMissingReason(true);
              reasonBox.current?.focus();
              return;
            }
            if (asksOverride && overrideReason.trim() === '') {
              overrideBox.current?.focus();
              return;
            }
            onSubmit(decision, reason.trim(), asksOverride ? overrideReason.trim() : null);
          }}
        >
          <label htmlFor={reasonId}>
            Reason {decision === 'REJECT' ? '(required)' : '(optional)'}
          </label>
          <textarea
            id={reasonId}
            ref={reasonBox}
            value={reason}
            rows={2}
            maxLength={1000}
            aria-invalid={missingReason ? true : undefined}
            aria-describedby={missingReason ? errorId : undefined}
            onChange={(event) => {
              setReason(event.target.value);
              setMissingReason(false);
            }}
          />
          {missingReason && (
            <p id={errorId} className="error-text" role="alert">
              Say why the invoice is rejected; the vendor and the auditors will read it.
            </p>
          )}
          {asksOverride && (
            <>
              {blocking.length > 0 ? (
                <div className="error-text" role="alert">
                  Approving passes {blocking.length === 1 ? 'a check that fails' : `${blocking.length} checks that fail`}:
                  <ul>
                    {blocking.map((failed) => (
                      <li key={failed.check}>{failed.message}</li>
                    ))}
                  </ul>
                  Say why it may be approved anyway; the audit trail keeps it.
                </div>
              ) : (
                <p className="error-text" role="alert">
                  {overrideRequired?.message}
                </p>
              )}
              <label htmlFor={overrideId}>Override reason (required)</label>
              <textarea
                id={overrideId}
                ref={overrideBox}
                value={overrideReason}
                rows={2}
                maxLength={2000}
                onChange={(event) => setOverrideReason(event.target.value)}
              />
            </>
          )}
          {blockedReason && <p className="error-text">{blockedReason}</p>}
          <button
            ref={confirm}
            type="submit"
            className={`button ${decision === 'APPROVE' ? 'button--primary' : 'button--danger'}`}
            disabled={pending || blockedReason !== null}
          >
            {pending
              ? 'Sending…'
              : decision === 'APPROVE'
                ? `Confirm approval${corrections ? ` with ${corrections} correction${corrections === 1 ? '' : 's'}` : ''}`
                : 'Confirm rejection'}
          </button>
          <button type="button" className="button" onClick={() => setDecision(null)}>
            Cancel
          </button>
        </form>
      )}
      {conflict ? (
        <div className="alert alert--error" role="alert">
          Someone else decided or changed this invoice while you were reviewing it. Your decision was not saved.{' '}
          <button type="button" className="button button--small" onClick={onReload}>
            Load the current version
          </button>
        </div>
      ) : error && !asksOverride ? (
        <ErrorMessage error={error} title="The decision was not saved." />
      ) : null}
    </section>
  );
});
