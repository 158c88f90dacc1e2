import { useId, useState } from 'react';
import type { AuthConfig } from '@/config/env';
import { setSession } from '@/lib/session';

/** Live mode's sign-in screen: e-mail and password against the user pool. */
export function SignIn({ auth }: { auth: AuthConfig | undefined }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorId = useId();

  if (!auth) {
    return (
      <main id="main" className="app-main">
        <h1>DocuFlow OCR</h1>
        <p className="alert" role="alert">
          This deployment names no user pool: config.json needs auth.userPoolId and auth.userPoolClientId.
        </p>
      </main>
    );
  }

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      // The Cognito client is a separate chunk, loaded only in live mode.
      const { signIn } = await import('../cognito');
      setSession(await signIn(auth, email.trim(), password, () => setSession(null)));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : 'Sign-in failed.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="app-main sign-in">
      <h1>Sign in to DocuFlow OCR</h1>
      <form
        className="panel sign-in__form"
        aria-describedby={error ? errorId : undefined}
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <label>
          E-mail{' '}
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="username" required />
        </label>
        <label>
          Password{' '}
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            required
          />
        </label>
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && (
          <p id={errorId} className="error-text" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
