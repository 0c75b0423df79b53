// The viewer toolbar: layout (1x3, focus view large, focus view alone) and the focus view, the left-button
// tool (window/level, length, ellipse, rectangle), window/level presets, crosshairs, reset, DICOM import (folder, PACS), help.

import { DicomButtons } from '../features/dicom/DicomButtons.js';
import { MEASURE_KINDS, useMeasureStore, type MeasureKind } from '../stores/useMeasureStore.js';
import { VIEWS, useViewerStore } from '../stores/useViewerStore.js';
import { LAYOUTS, LAYOUT_NAMES } from '../viewer/layouts.js';
import { resetViews } from '../viewer/resetViews.js';
import { WL_PRESETS, type WlPreset } from '../viewer/windowLevel.js';
import { applyPreset, openNextUnlabeled } from './useShortcuts.js';

const TOOL_LABELS: Record<MeasureKind | 'none', { label: string; title: string }> = {
  none: { label: 'W/L', title: 'Left drag sets window / level on every view (W)' },
  length: { label: 'Length', title: 'Measure a length in mm: drag, or click twice (L)' },
  ellipse: { label: 'Ellipse', title: 'Ellipse region: statistics of the scan and the shown map (E)' },
  rectangle: { label: 'Rect', title: 'Rectangle region: statistics of the scan and the shown map (Q)' },
};

/** The left button's tool; window/level also turns crosshairs off (it is the plain left button). */
function chooseTool(tool: MeasureKind | 'none'): void {
  useMeasureStore.getState().setTool(tool);
  if (tool === 'none' && useViewerStore.getState().crosshairs) useViewerStore.getState().toggleCrosshairs();
}

/** Crosshairs on puts the measuring tool away (both want the left button). */
function toggleCrosshairs(): void {
  useViewerStore.getState().toggleCrosshairs();
  if (useViewerStore.getState().crosshairs) useMeasureStore.getState().setTool('none');
}

export function Toolbar(props: { onHelp: () => void }): React.JSX.Element {
  const v = useViewerStore();
  const tool = useMeasureStore((s) => s.tool);
  return (
    <div className="toolbar" role="toolbar" aria-label="Viewer tools">
      <div className="tool-group" role="group" aria-label="Layout">
        {LAYOUT_NAMES.map((name) => (
          <button
            key={name}
            className={`layout-button layout-icon-${name}${v.layout === name ? ' active' : ''}`}
            aria-pressed={v.layout === name}
            data-layout={name}
            onClick={() => v.setLayout(name)}
            title={`${LAYOUTS[name].title} (M cycles)`}
          >
            <i aria-hidden="true" />
            {LAYOUTS[name].label}
          </button>
        ))}
        <select
          aria-label="Focus view"
          title="The view shown alone (1×1) or large (1+2) (V cycles)"
          value={v.focusView}
          onChange={(e) => v.setLayout(v.layout, e.target.value as (typeof VIEWS)[number])}
        >
          {VIEWS.map((view) => (
            <option key={view} value={view}>
              {view[0]!.toUpperCase() + view.slice(1)}
            </option>
          ))}
        </select>
      </div>
      <div className="tool-group" role="group" aria-label="Left button">
        {(['none', ...MEASURE_KINDS] as const).map((t) => (
          <button
            key={t}
            className={tool === t && !(t === 'none' && v.crosshairs) ? 'active' : ''}
            aria-pressed={tool === t && !(t === 'none' && v.crosshairs)}
            data-tool={t}
            onClick={() => chooseTool(t)}
            title={TOOL_LABELS[t].title}
          >
            {TOOL_LABELS[t].label}
          </button>
        ))}
      </div>
      <div className="tool-group">
        {/* A list, like Slicer's window/level presets: keeps the toolbar on one row, and says "custom" after a drag. */}
        <select
          aria-label="Window/level preset"
          title="Window / level preset (A, F, C, B); a drag makes it custom"
          value={v.preset}
          onChange={(e) => {
            if (e.target.value !== 'custom') applyPreset(e.target.value as WlPreset);
          }}
        >
          {(Object.keys(WL_PRESETS) as WlPreset[]).map((p) => (
            <option key={p} value={p}>
              W/L {WL_PRESETS[p].label.split(' ')[0]} ({WL_PRESETS[p].key.toUpperCase()})
            </option>
          ))}
          {v.preset === 'custom' && <option value="custom">W/L custom</option>}
        </select>
      </div>
      <div className="tool-group">
        <button className={v.crosshairs ? 'active' : ''} onClick={toggleCrosshairs} title="Crosshairs on the left button (X)">
          Crosshairs
        </button>
        <button onClick={resetViews} title="Reset zoom, pan and slices (R)">
          Reset
        </button>
      </div>
      <DicomButtons />
      <div className="tool-group right">
        <button onClick={openNextUnlabeled} title="Next unlabeled scan (N)">
          Next ▸
        </button>
        <button onClick={props.onHelp} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
          ?
        </button>
      </div>
    </div>
  );
}
