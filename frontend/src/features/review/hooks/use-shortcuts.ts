import { useEffect, useRef } from 'react';
import { useShortcutsEnabled } from './shortcut-setting';

export type ShortcutMap = Record<string, (event: KeyboardEvent) => void>;

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Single-key shortcuts for clerks working through the queue. Ignored while typing in
 * a field and when a modifier is held, so browser shortcuts keep working; off altogether
 * when the person turned them off (`shortcut-setting.ts`) or `active` is false.
 */
export function useShortcuts(map: ShortcutMap, active = true): void {
  const enabled = useShortcutsEnabled() && active;
  const latest = useRef(map);
  useEffect(() => {
    latest.current = map;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target)) return;
      const handler = latest.current[event.key];
      if (handler) {
        event.preventDefault();
        handler(event);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
