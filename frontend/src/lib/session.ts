/**
 * Who is signed in, kept in memory only (never localStorage): a reload signs out.
 *
 * Live mode fills it from the user pool's ID token (features/auth); demo mode from the
 * role switch. The API decides from the token alone; the app uses the role only to show
 * what the user may do (clerks see no review queue).
 */
import { useSyncExternalStore } from 'react';

export type Role = 'clerk' | 'reviewer' | 'admin';

export interface Session {
  email: string;
  tenant: string;
  role: Role;
  /** A valid ID token for the API's Authorization header; null in demo mode. */
  idToken: () => Promise<string | null>;
  signOut: () => void;
}

// The user pool's groups (infra/identity.tf) and the role each gives; the highest wins.
const GROUP_ROLES: Record<string, Role> = { clerks: 'clerk', reviewers: 'reviewer', admins: 'admin' };
const RANK: Record<Role, number> = { clerk: 1, reviewer: 2, admin: 3 };

export function roleOfGroups(groups: readonly string[]): Role | null {
  let best: Role | null = null;
  for (const group of groups) {
    const role = GROUP_ROLES[group];
    if (role && (best === null || RANK[role] > RANK[best])) best = role;
  }
  return best;
}

/** Reviewers and admins read the review queue and decide. */
export function canAdminister(role: Role | undefined): boolean {
  return role === 'admin';
}

export function canReview(role: Role | undefined): boolean {
  return role !== undefined && RANK[role] >= RANK.reviewer;
}

let current: Session | null = null;
const listeners = new Set<() => void>();

export function getSession(): Session | null {
  return current;
}

export function setSession(session: Session | null): void {
  current = session;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, getSession, getSession);
}
