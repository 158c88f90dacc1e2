/**
 * Whether single-key shortcuts are on, remembered in localStorage. WCAG 2.1.4 (Character
 * Key Shortcuts): a person using speech input or prone to stray keys must be able to turn
 * them off, since a spoken word or a brushed key would approve or reject an invoice.
 */
import { useSyncExternalStore } from 'react';

const KEY = 'docuflow.shortcuts';
const listeners = new Set<() => void>();

export function shortcutsEnabled(): boolean {
  try {
    return localStorage.getItem(KEY) !== 'off';
  } catch {
    return true;
  }
}

export function setShortcutsEnabled(on: boolean): void {
  try {
    localStorage.setItem(KEY, on ? 'on' : 'off');
  } catch {
    // private mode: the choice holds for this page only
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useShortcutsEnabled(): boolean {
  return useSyncExternalStore(subscribe, shortcutsEnabled, () => true);
}
