// The `?` overlay: every shortcut, grouped.

import { SHORTCUTS, type Shortcut } from './shortcuts.js';

export function ShortcutOverlay(props: { onClose: () => void }): React.JSX.Element {
  const groups = [...new Set(SHORTCUTS.map((s) => s.group))] as Shortcut['group'][];
  return (
    <div className="overlay-backdrop" onClick={props.onClose} role="presentation">
      <div className="shortcut-overlay" role="dialog" aria-label="Keyboard shortcuts" onClick={(e) => e.stopPropagation()}>
        <header>
          <h2>Keyboard shortcuts</h2>
          <button onClick={props.onClose} aria-label="Close">
            ✕
          </button>
        </header>
        <div className="shortcut-groups">
          {groups.map((g) => (
            <section key={g}>
              <h3>{g}</h3>
              <dl>
                {SHORTCUTS.filter((s) => s.group === g).map((s) => (
                  <div key={s.keys} className="shortcut">
                    <dt>
                      <kbd>{s.keys}</kbd>
                    </dt>
                    <dd>{s.action}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
      </div>
    </div>
  );
}
