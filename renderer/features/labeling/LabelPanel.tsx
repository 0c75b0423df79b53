// The class label of the scan on screen: one button (and key 1-9) per class, who set the current label and
// when, the model's prediction kept apart from it, pending conflicts, writes not saved yet, the history and
// undo. Everything that writes is off until the chosen scan's pixels are on screen. In a blinded reader study
// (issue #13) the label is my own read; roles that may not label (or manage classes) see why.

import { useEffect } from 'react';
import { core } from '../../api/core.js';
import { useScanOnScreen } from '../../app/scanOnScreen.js';
import { useLabelStore } from '../../stores/useLabelStore.js';
import { useStudyStore } from '../../stores/useStudyStore.js';
import { useUiStore } from '../../stores/useUiStore.js';
import { useRefusal } from '../session/useRefusal.js';
import { loadLabel, sendUnsaved, setClassLabel, undoLabel } from './labelActions.js';
import { ClassManager } from './ClassManager.js';
import { PredictionNote } from './PredictionNote.js';
import { UnsavedList } from './UnsavedList.js';

const when = (iso: string | null) => (iso === null ? '' : new Date(iso).toLocaleString());

export function LabelPanel(): React.JSX.Element {
  const selectedId = useStudyStore((s) => s.selectedId);
  const classes = useStudyStore((s) => s.classInfo);
  const onScreen = useScanOnScreen();
  const { current, history, saving, problem, undo } = useLabelStore();
  const reading = useStudyStore((s) => s.images.find((i) => i.id === s.selectedId)?.reading);
  const mayNotLabel = useRefusal('labels.set');
  const mayManageClasses = useRefusal('classes.add') === null;

  useEffect(() => {
    useLabelStore.getState().setProblem(null); // a refusal about another scan does not belong here
    if (selectedId === null) return;
    void loadLabel(selectedId);
    // Another reader (or another window) changed this scan's label: show it at once, with its author.
    return core().events.subscribe((e) => {
      if (e.type === 'label.changed' && e.what === 'class' && e.imageId === selectedId) void loadLabel(selectedId);
    });
  }, [selectedId]);

  if (selectedId === null)
    return (
      <div className="label-panel" data-testid="label-panel">
        <p className="muted">Open a scan to label it.</p>
        {mayManageClasses && <ClassManager />}
      </div>
    );
  const shown = current !== null && current.imageId === selectedId ? current : null;
  const locked = onScreen !== selectedId || mayNotLabel !== null;
  const canUndo = undo.some((c) => c.imageId === selectedId);
  return (
    <div className="label-panel" data-testid="label-panel">
      {mayNotLabel !== null ? (
        <p className="muted" data-testid="label-locked">
          {mayNotLabel}
        </p>
      ) : (
        locked && (
          <p className="muted" data-testid="label-locked">
            Labeling is off until {selectedId} is on screen.
          </p>
        )
      )}
      {reading !== undefined && (
        <p className="blinded-note small" data-testid="blinded-note">
          Blinded reading: this is your own read; other readers&apos; answers are hidden. Reads of this scan: {reading.done}/
          {reading.needed}.
        </p>
      )}
      <div className="class-buttons" role="group" aria-label="Class label">
        {classes.map((c) => (
          <button
            key={c.name}
            className={`class-button${shown?.label === c.name ? ' active' : ''}`}
            disabled={saving || locked}
            onClick={() => void setClassLabel(selectedId, c.name)}
            title={c.key === null ? 'No key: give it one under Classes' : `Key ${c.key}`}
          >
            <span className="class-swatch" style={{ background: c.colour }} aria-hidden="true" />
            {c.key !== null ? <kbd>{c.key}</kbd> : null} {c.name}
          </button>
        ))}
        <button className="class-button" disabled={saving || locked || shown?.label === null} onClick={() => void setClassLabel(selectedId, null)}>
          <kbd>0</kbd> clear
        </button>
      </div>
      {classes.length === 0 && <p className="muted">This study has no classes yet: add one under Classes below.</p>}
      <div className="current-label" data-testid="current-label">
        <span className="muted">{reading !== undefined ? 'Your read: ' : 'Label: '}</span>
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
      <PredictionNote imageId={selectedId} />
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
      <UnsavedList onRetry={() => void sendUnsaved()} />
      <div className="row-actions">
        <button
          onClick={() => void undoLabel().then((t) => useUiStore.getState().notify(t ?? 'Nothing to undo on this scan.'))}
          disabled={!canUndo || saving || locked}
          title="Undo this scan's last label change (Ctrl+Z)"
        >
          Undo
        </button>
      </div>
      {mayManageClasses && <ClassManager />}
      <h3>{reading !== undefined ? 'Your history' : 'History'}</h3>
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
