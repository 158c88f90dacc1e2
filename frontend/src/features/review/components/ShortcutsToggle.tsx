import { useId, type ReactNode } from 'react';
import { setShortcutsEnabled, useShortcutsEnabled } from '../hooks/shortcut-setting';

/** The switch for single-key shortcuts (WCAG 2.1.4), and what they are while on. */
export function ShortcutsToggle({ children }: { children?: ReactNode }) {
  const on = useShortcutsEnabled();
  const id = useId();
  return (
    <span className="shortcuts-toggle">
      <input id={id} type="checkbox" checked={on} onChange={(event) => setShortcutsEnabled(event.target.checked)} />{' '}
      <label htmlFor={id}>Keyboard shortcuts</label>
      {on && children}
    </span>
  );
}
