/**
 * The clerk's name, kept in localStorage: it is the owner id of uploads and the
 * reviewer of decisions. The allowed characters match what the API accepts for
 * `owner_id` (it becomes part of an S3 key).
 */
import { useSyncExternalStore } from 'react';

const KEY = 'docuflow.clerk';
const listeners = new Set<() => void>();
export const CLERK_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export function validateClerkName(name: string): string | null {
  if (name.trim() === '') return 'Enter your name to upload or review.';
  if (!CLERK_PATTERN.test(name)) {
    return 'Use 1–64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit.';
  }
  return null;
}

export function getClerkName(): string {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export function setClerkName(name: string): void {
  try {
    localStorage.setItem(KEY, name);
  } catch {
    // private mode: keep working for this page only
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useClerkName(): string {
  return useSyncExternalStore(subscribe, getClerkName, () => '');
}
