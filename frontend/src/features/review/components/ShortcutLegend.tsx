import { useShortcutsEnabled } from '../hooks/shortcut-setting';
import { ShortcutsToggle } from './ShortcutsToggle';

const SHORTCUTS: [key: string, what: string][] = [
  ['j', 'next field'],
  ['k', 'previous field'],
  ['e', 'edit the field'],
  ['a', 'approve'],
  ['r', 'reject'],
  ['n', 'next invoice'],
  ['Esc', 'cancel editing'],
];

export function ShortcutLegend() {
  const on = useShortcutsEnabled();
  return (
    <aside className="shortcuts" aria-label="Keyboard shortcuts">
      <h3>Keyboard</h3>
      <ShortcutsToggle />
      {on && (
        <ul>
          {SHORTCUTS.map(([key, what]) => (
            <li key={key}>
              <kbd>{key}</kbd> {what}
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
