/** Demo mode has no sign-in: a role switch picks one of these (the local cloud's demo users). */
import { setSession, type Role, type Session } from '@/lib/session';

export const DEMO_USERS: Record<Role, string> = {
  clerk: 'clerk@acme.test',
  reviewer: 'reviewer@acme.test',
  admin: 'admin@acme.test',
};

export function demoSession(role: Role): Session {
  return {
    email: DEMO_USERS[role],
    tenant: 'acme',
    role,
    idToken: () => Promise.resolve(null),
    signOut: () => setSession(null),
  };
}
