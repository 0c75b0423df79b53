// Class-label writes that did not reach the core: each shown as "not saved" with the reader's answer, kept
// (also across a reload) until it is sent or the reader discards it.

import { useLabelStore } from '../../stores/useLabelStore.js';

export function UnsavedList(props: { onRetry: () => void }): React.JSX.Element | null {
  const unsaved = useLabelStore((s) => s.unsaved);
  const drop = useLabelStore((s) => s.dropUnsaved);
  if (unsaved.length === 0) return null;
  return (
    <div className="unsaved" role="alert" data-testid="unsaved-labels">
      <strong>Not saved ({unsaved.length}):</strong> kept here and sent when the server answers again.
      <ul>
        {unsaved.map((w) => (
          <li key={w.imageId}>
            {w.imageId}: <b>{w.label ?? 'cleared'}</b> <span className="muted">by {w.author} at {new Date(w.at).toLocaleTimeString()}</span>{' '}
            <button
              className="link"
              onClick={() => {
                if (window.confirm(`Discard your unsaved label "${w.label ?? 'cleared'}" for ${w.imageId}?`)) drop(w.imageId);
              }}
            >
              discard
            </button>
          </li>
        ))}
      </ul>
      <button onClick={props.onRetry}>Send now</button>
    </div>
  );
}
