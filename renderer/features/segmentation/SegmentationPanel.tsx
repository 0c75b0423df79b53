// Segmentation (like Slicer's Segment Editor): brush / eraser as a disk on the painted slice or a 3D sphere,
// the segment table (the active row is what the brush paints), fill between slices, undo / redo, and the
// labelmap versions. Painting happens in the views (left button) while a tool is on; each edit is saved at
// once as a new labelmap version. A role that may not save labelmaps (issue #13) sees why instead of the tools.

import { SegExportButtons } from '../dicom/SegExportButtons.js';
import { useSegmentationStore, type SegTool } from '../../stores/useSegmentationStore.js';
import { useStudyStore } from '../../stores/useStudyStore.js';
import { VIEWS, type ViewName } from '../../stores/useViewerStore.js';
import { fillBetween, redoPaint, saveLabelmap, undoPaint } from './segActions.js';
import { closePreview } from './segHistory.js';
import { SegmentTable } from './SegmentTable.js';
import { SegVersions } from './SegVersions.js';
import { useRefusal } from '../session/useRefusal.js';

const TOOLS: readonly { tool: SegTool; label: string }[] = [
  { tool: 'none', label: 'Off' },
  { tool: 'brush', label: 'Brush' },
  { tool: 'eraser', label: 'Eraser' },
];

function chooseTool(tool: SegTool): void {
  if (tool !== 'none' && useSegmentationStore.getState().preview !== null) closePreview();
  useSegmentationStore.getState().setTool(tool);
}

function BrushControls(): React.JSX.Element {
  // One selector per field shown: a paint stroke (which changes other fields many times a second) does not
  // re-render these controls.
  const s = {
    tool: useSegmentationStore((x) => x.tool),
    radiusMm: useSegmentationStore((x) => x.radiusMm),
    sphere: useSegmentationStore((x) => x.sphere),
    setRadius: useSegmentationStore((x) => x.setRadius),
    setSphere: useSegmentationStore((x) => x.setSphere),
  };
  return (
    <>
      <div className="row-actions" role="group" aria-label="Paint tool">
        {TOOLS.map((t) => (
          <button
            key={t.tool}
            className={s.tool === t.tool ? 'active' : ''}
            onClick={() => chooseTool(t.tool)}
            aria-pressed={s.tool === t.tool}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="form-grid">
        <label>
          Size (radius, mm)
          <input
            type="number"
            name="radius"
            min={0.5}
            max={50}
            step={0.5}
            value={s.radiusMm}
            onChange={(e) => s.setRadius(Number(e.target.value))}
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            name="sphere"
            checked={s.sphere}
            onChange={(e) => s.setSphere(e.target.checked)}
          />
          3D sphere (paints the neighbouring slices too)
        </label>
      </div>
    </>
  );
}

function FillBetween(): React.JSX.Element {
  const lastView = useSegmentationStore((s) => s.lastView);
  const setLastView = useSegmentationStore((s) => s.setLastView);
  return (
    <div className="row-actions seg-fill">
      <button
        onClick={() => void fillBetween(lastView)}
        title="Interpolate the active segment's shape across the unpainted slices between painted ones"
      >
        Fill between slices
      </button>
      <label>
        along
        <select name="fill-view" value={lastView} onChange={(e) => setLastView(e.target.value as ViewName)}>
          {VIEWS.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

/** The brush, the segments, fill between slices, undo / redo and save: for the roles that may paint. */
function PaintTools(props: { undoDepth: number; redoDepth: number; saving: boolean }): React.JSX.Element {
  return (
    <>
      <BrushControls />
      <SegmentTable />
      <FillBetween />
      <div className="row-actions">
        <button onClick={undoPaint} disabled={props.undoDepth === 0} title="Undo the last edit (Ctrl+Z)">
          Undo
        </button>
        <button onClick={redoPaint} disabled={props.redoDepth === 0} title="Redo (Ctrl+Y)">
          Redo
        </button>
        <button onClick={() => void saveLabelmap('Saved by hand')} disabled={props.saving}>
          Save
        </button>
      </div>
    </>
  );
}

export function SegmentationPanel(): React.JSX.Element {
  const imageId = useStudyStore((s) => s.selectedId);
  const s = {
    undoDepth: useSegmentationStore((x) => x.undoDepth),
    redoDepth: useSegmentationStore((x) => x.redoDepth),
    saving: useSegmentationStore((x) => x.saving),
    version: useSegmentationStore((x) => x.version),
    notice: useSegmentationStore((x) => x.notice),
    problem: useSegmentationStore((x) => x.problem),
  };
  const mayNotPaint = useRefusal('labelmaps.save');
  if (imageId === null) return <p className="muted">Open a scan to paint a labelmap on it.</p>;
  return (
    <div className="seg-panel" data-testid="seg-panel">
      {mayNotPaint !== null ? (
        <p className="muted" data-testid="seg-locked">
          {mayNotPaint}
        </p>
      ) : (
        <PaintTools undoDepth={s.undoDepth} redoDepth={s.redoDepth} saving={s.saving} />
      )}
      <p className="muted" data-testid="seg-status" data-version={s.version}>
        {s.saving
          ? 'Saving…'
          : s.version > 0
            ? `Saved as labelmap version ${s.version}`
            : 'No labelmap saved yet'}
      </p>
      {s.notice !== null && (
        <p className="muted small" data-testid="seg-notice">
          {s.notice}
        </p>
      )}
      {s.problem !== null && (
        <p className="problem" role="alert">
          {s.problem}
        </p>
      )}
      <SegExportButtons />
      <SegVersions />
    </div>
  );
}
