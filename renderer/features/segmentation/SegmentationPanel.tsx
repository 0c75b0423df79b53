// Segmentation: brush / eraser with size and label, undo / redo, and the saved labelmap version. Painting
// happens in the views (left button) while a tool is chosen; each stroke is saved at once.

import { useSegmentationStore, type SegTool } from '../../stores/useSegmentationStore.js';
import { useStudyStore } from '../../stores/useStudyStore.js';
import { redoPaint, saveLabelmap, undoPaint } from './segActions.js';

const TOOLS: readonly { tool: SegTool; label: string }[] = [
  { tool: 'none', label: 'Off' },
  { tool: 'brush', label: 'Brush' },
  { tool: 'eraser', label: 'Eraser' },
];

export function SegmentationPanel(): React.JSX.Element {
  const imageId = useStudyStore((s) => s.selectedId);
  const s = useSegmentationStore();
  if (imageId === null) return <p className="muted">Open a scan to paint a labelmap on it.</p>;
  return (
    <div className="seg-panel" data-testid="seg-panel">
      <div className="row-actions" role="group" aria-label="Paint tool">
        {TOOLS.map((t) => (
          <button key={t.tool} className={s.tool === t.tool ? 'active' : ''} onClick={() => s.setTool(t.tool)} aria-pressed={s.tool === t.tool}>
            {t.label}
          </button>
        ))}
      </div>
      <div className="form-grid">
        <label>
          Size (radius, mm)
          <input type="number" name="radius" min={0.5} max={50} step={0.5} value={s.radiusMm} onChange={(e) => s.setRadius(Number(e.target.value))} />
        </label>
        <label>
          Label value
          <input type="number" name="label" min={1} max={255} value={s.label} onChange={(e) => s.setLabel(Number(e.target.value))} />
        </label>
      </div>
      <div className="row-actions">
        <button onClick={undoPaint} disabled={s.undoDepth === 0} title="Undo stroke (Ctrl+Z while a tool is on)">
          Undo
        </button>
        <button onClick={redoPaint} disabled={s.redoDepth === 0} title="Redo stroke (Ctrl+Y)">
          Redo
        </button>
        <button onClick={() => void saveLabelmap()} disabled={s.saving}>
          Save
        </button>
      </div>
      <p className="muted" data-testid="seg-status" data-version={s.version}>
        {s.saving ? 'Saving…' : s.version > 0 ? `Saved as labelmap version ${s.version}` : 'No labelmap saved yet'}
      </p>
      {s.problem !== null && (
        <p className="problem" role="alert">
          {s.problem}
        </p>
      )}
      <p className="muted small">Painting works slice by slice in the view you paint in; each stroke is saved at once.</p>
    </div>
  );
}
