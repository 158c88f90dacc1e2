import { useQueryClient } from '@tanstack/react-query';
import { useAppConfig } from '@/config/context';
import { setSession, useSession, type Role } from '@/lib/session';
import { demoSession } from '../demo';

const ROLES: Role[] = ['clerk', 'reviewer', 'admin'];

/** Who is signed in, and sign-out; in demo mode a role switch instead. */
export function UserMenu() {
  const config = useAppConfig();
  const session = useSession();
  const client = useQueryClient();
  if (!session) return null;
  if (config.mode === 'demo') {
    return (
      <label className="user-menu">
        Demo role{' '}
        <select
          value={session.role}
          onChange={(event) => {
            client.clear();
            setSession(demoSession(event.target.value as Role));
          }}
        >
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
      </label>
    );
  }
  return (
    <div className="user-menu">
      <span data-testid="signed-in-as">
        {session.email} · {session.tenant} · {session.role}
      </span>{' '}
      <button
        type="button"
        className="button button--small"
        onClick={() => {
          // Nothing of this user may stay on screen or in the cache for the next one.
          client.clear();
          session.signOut();
        }}
      >
        Sign out
      </button>
    </div>
  );
}
