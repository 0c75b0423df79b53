// How the shown map is drawn: on/off (H), only inside the head, colormap, opacity, threshold, and its
// colorbar with the explained class, method, values and unit.

import type { MapSummary } from '../../../core/api/index.js';
import { useExplainStore } from '../../stores/useExplainStore.js';
import { Colorbar } from '../../viewer/Colorbar.js';
import { COLORMAPS, type ColormapName } from '../../viewer/colormaps.js';
import { METHOD_LABELS, explainedClass, mapUnit } from './mapParams.js';

export function OverlayControls(props: { map: MapSummary }): React.JSX.Element {
  const { map } = props;
  const x = useExplainStore();
  return (
    <div className="overlay-look" data-testid="overlay-look">
      <p className="explains" data-testid="shown-explains">
        Showing what made <strong>{map.modelId}</strong> score class <strong>{explainedClass(map)}</strong>
        {map.predictedClass !== null && map.predictedClass !== map.className && (
          <> (it predicted {map.predictedClass})</>
        )}{' '}
        · {METHOD_LABELS[map.method]}
      </p>
      <label className="check">
        <input type="checkbox" checked={x.visible} onChange={(e) => x.setVisible(e.target.checked)} /> Show
        overlay (H)
      </label>
      <label
        className="check"
        title="Hides map values outside a mask of the head: voxels brighter than Otsu's threshold of the scan, holes filled, largest connected part"
      >
        <input
          type="checkbox"
          checked={x.insideHead}
          onChange={(e) => x.setInsideHead(e.target.checked)}
          data-testid="inside-head"
        />{' '}
        Only inside the head
      </label>
      <label className="field">
        Colormap
        <select
          value={x.colormap}
          onChange={(e) => x.setColormap(e.target.value as ColormapName)}
          aria-label="Colormap"
        >
          {(Object.keys(COLORMAPS) as ColormapName[]).map((c) => (
            <option key={c} value={c}>
              {COLORMAPS[c].label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Opacity {Math.round(x.opacity * 100)}%
        <input
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={x.opacity}
          onChange={(e) => x.setOpacity(Number(e.target.value))}
        />
      </label>
      <label className="field">
        Threshold {Math.round(x.threshold * 100)}% of the largest value
        <input
          type="range"
          min={0}
          max={0.95}
          step={0.05}
          value={x.threshold}
          onChange={(e) => x.setThreshold(Number(e.target.value))}
        />
      </label>
      {!(map.max > map.min) ? (
        <p className="muted" role="status" data-testid="flat-map">
          This map is flat (every value {map.min}): the model's output did not change over the scan, so there
          is nothing to overlay. Try another class, another method or a trained model.
        </p>
      ) : (
        <Colorbar
          colormap={x.colormap}
          min={map.min}
          max={map.max}
          threshold={x.threshold}
          title={`${METHOD_LABELS[map.method]} · class ${explainedClass(map)}`}
          unit={mapUnit(map)}
        />
      )}
    </div>
  );
}
