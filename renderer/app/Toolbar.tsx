// The viewer toolbar: layout, single-view choice, window/level presets, crosshairs, reset, help.

import { VIEWS, useViewerStore } from '../stores/useViewerStore.js';
import { resetViews } from '../viewer/resetViews.js';
import { WL_PRESETS, type WlPreset } from '../viewer/windowLevel.js';
import { applyPreset, openNextUnlabeled } from './useShortcuts.js';

export function Toolbar(props: { onHelp: () => void }): React.JSX.Element {
  const v = useViewerStore();
  return (
    <div className="toolbar" role="toolbar" aria-label="Viewer tools">
      <div className="tool-group">
        <button className={v.layout === 'mpr' ? 'active' : ''} onClick={() => v.setLayout('mpr')} title="Three views (M)">
          MPR
        </button>
        {VIEWS.map((view) => (
          <button
            key={view}
            className={v.layout === 'single' && v.singleView === view ? 'active' : ''}
            onClick={() => v.setLayout('single', view)}
            title={`Only the ${view} view (V cycles)`}
          >
            {view[0]!.toUpperCase() + view.slice(1)}
          </button>
        ))}
      </div>
      <div className="tool-group">
        <span className="muted">W/L</span>
        {(Object.keys(WL_PRESETS) as WlPreset[]).map((p) => (
          <button key={p} className={v.preset === p ? 'active' : ''} onClick={() => applyPreset(p)} title={`${WL_PRESETS[p].label} (${WL_PRESETS[p].key.toUpperCase()})`}>
            {WL_PRESETS[p].label.split(' ')[0]}
          </button>
        ))}
      </div>
      <div className="tool-group">
        <button className={v.crosshairs ? 'active' : ''} onClick={v.toggleCrosshairs} title="Crosshairs on the left button (X)">
          Crosshairs
        </button>
        <button onClick={resetViews} title="Reset zoom, pan and slices (R)">
          Reset
        </button>
      </div>
      <div className="tool-group right">
        <button onClick={openNextUnlabeled} title="Next unlabeled scan (N)">
          Next unlabeled ▸
        </button>
        <button onClick={props.onHelp} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
          ?
        </button>
      </div>
    </div>
  );
}
