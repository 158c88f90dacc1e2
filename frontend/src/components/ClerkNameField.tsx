import { useId, useState } from 'react';
import { setClerkName, useClerkName, validateClerkName } from '@/lib/clerk';

/** The clerk's name: owner of uploads, reviewer of decisions. Saved in this browser. */
export function ClerkNameField() {
  const saved = useClerkName();
  const [draft, setDraft] = useState<string | null>(null);
  const value = draft ?? saved;
  const error = draft !== null && draft !== '' ? validateClerkName(draft) : null;
  const errorId = useId();

  const commit = () => {
    if (draft === null) return;
    if (validateClerkName(draft) === null) {
      setClerkName(draft);
      setDraft(null);
    }
  };

  return (
    <form
      className="clerk"
      onSubmit={(event) => {
        event.preventDefault();
        commit();
      }}
    >
      <label>
        Clerk name{' '}
        <input
          value={value}
          onChange={(event) => setDraft(event.target.value.trim())}
          onBlur={commit}
          placeholder="e.g. j.doe"
          autoComplete="username"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          size={14}
        />
      </label>
      {error && (
        <span id={errorId} className="error-text clerk__error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
