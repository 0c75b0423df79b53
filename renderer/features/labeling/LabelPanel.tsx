// The class label of the open scan: one button (and key 1-9) per class, who set the current label and when,
// pending conflicts, the full history, and undo.

import { useEffect } from 'react';
import { core } from '../../api/core.js';
import { useLabelStore } from '../../stores/useLabelStore.js';
import { useStudyStore } from '../../stores/useStudyStore.js';
import { loadLabel, setClassLabel, undoLabel } from './labelActions.js';

const when = (iso: string | null) => (iso === null ? '' : new Date(iso).toLocaleString());

export function LabelPanel(): React.JSX.Element {
  const selectedId = useStudyStore((s) => s.selectedId);
  const classes = useStudyStore((s) => s.classes);
  const { current, history, saving, problem, undo, author, setAuthor } = useLabelStore();

  useEffect(() => {
    if (selectedId === null) return;
    void loadLabel(selectedId);
    // Another reader (or another window) changed this scan's label: show it at once, with its author.
    return core().events.subscribe((e) => {
      if (e.type === 'label.changed' && e.what === 'class' && e.imageId === selectedId) void loadLabel(selectedId);
    });
  }, [selectedId]);

  if (selectedId === null) return <p className="muted">Open a scan to label it.</p>;
  const shown = current !== null && current.imageId === selectedId ? current : null;
  return (
    <div className="label-panel" data-testid="label-panel">
      <div className="class-buttons" role="group" aria-label="Class label">
        {classes.map((c, i) => (
          <button
            key={c}
            className={`class-button${shown?.label === c ? ' active' : ''}`}
            disabled={saving || i > 8}
            onClick={() => void setClassLabel(selectedId, c)}
          >
            <kbd>{i + 1}</kbd> {c}
          </button>
        ))}
        <button className="class-button" disabled={saving || shown?.label === null} onClick={() => void setClassLabel(selectedId, null)}>
          <kbd>0</kbd> clear
        </button>
      </div>
      {classes.length === 0 && <p className="muted">This study has no classes yet: import a labels CSV with the CLI.</p>}
      <div className="current-label" data-testid="current-label">
        {shown === null ? (
          'Loading…'
        ) : shown.label === null ? (
          <span className="muted">Unlabeled</span>
        ) : (
          <>
            <strong data-testid="current-label-value">{shown.label}</strong>
            <span className="muted">
              {' '}
              by {shown.author} · {when(shown.createdAt)} · v{shown.version}
            </span>
          </>
        )}
        {saving && <span className="muted"> saving…</span>}
      </div>
      {shown !== null && shown.pendingConflicts.length > 0 && (
        <div className="problem" role="alert">
          {shown.pendingConflicts.length} conflicting answer(s):{' '}
          {shown.pendingConflicts.map((c) => `${c.label ?? 'cleared'} by ${c.author}`).join('; ')}. Set the label again to settle it.
        </div>
      )}
      {problem !== null && (
        <div className="problem" role="alert" data-testid="label-problem">
          {problem}
        </div>
      )}
      <div className="row-actions">
        <button onClick={() => void undoLabel()} disabled={undo.length === 0 || saving} title="Undo (Ctrl+Z)">
          Undo
        </button>
        <label className="author">
          Reader <input value={author} onChange={(e) => setAuthor(e.target.value || 'reader')} aria-label="Reader name" />
        </label>
      </div>
      <h3>History</h3>
      <ol className="history" data-testid="label-history">
        {[...history].reverse().map((v) => (
          <li key={v.version} className={v.conflict ? 'conflict' : ''}>
            <span className="history-label">{v.label ?? 'cleared'}</span>
            <span className="muted">
              {v.author} · {when(v.createdAt)} · v{v.version}
              {v.conflict ? ' · conflict' : ''}
              {v.note !== null ? ` · ${v.note}` : ''}
            </span>
          </li>
        ))}
        {history.length === 0 && <li className="muted">No label yet.</li>}
      </ol>
    </div>
  );
}
