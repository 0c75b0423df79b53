// How the shown map is drawn: on/off (H), only inside the head, signed or positive only (issue #16),
// colormap (the diverging one named while a map is drawn signed), opacity, threshold, and its colorbar with
// the explained class (and whether it is the scan's labeled class), method, values, unit and sign.

import type { MapSummary } from '../../../core/api/index.js';
import { useExplainStore } from '../../stores/useExplainStore.js';
import { useStudyStore } from '../../stores/useStudyStore.js';
import { Colorbar } from '../../viewer/Colorbar.js';
import { COLORMAPS, colormapMenu, drawnColormap, drawsSigned, signWords, type ColormapName, type SignMode } from '../../viewer/colormaps.js';
import { METHOD_LABELS, explainedClass, labelNote, mapUnit } from './mapParams.js';

/** The choices of the sign control, in words. */
const SIGN_CHOICES = [
  ['auto', 'Automatic (signed when the map has negative values)'],
  ['signed', 'Signed (blue = against, red = for)'],
  ['positive', 'Positive only'],
] as const satisfies readonly (readonly [SignMode, string])[];

export function OverlayControls(props: { map: MapSummary }): React.JSX.Element {
  const { map } = props;
  const x = useExplainStore();
  const signed = drawsSigned(map, x.signMode);
  const label = useStudyStore((s) => s.images.find((i) => i.id === map.imageId)?.label ?? null);
  const labeled = labelNote(map, label);
  return (
    <div className="overlay-look" data-testid="overlay-look">
      <p className="explains" data-testid="shown-explains">
        Showing what made <strong>{map.modelId}</strong> score class <strong>{explainedClass(map)}</strong>
        {map.predictedClass !== null && map.predictedClass !== map.className && (
          <> (it predicted {map.predictedClass})</>
        )}
        {labeled !== '' && <> ({labeled})</>} · {METHOD_LABELS[map.method]}
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
      <label className="field" title="Signed: a diverging scale centred on 0, so regions whose hiding raised the class's output show in blue">
        Sign
        <select
          value={x.signMode}
          onChange={(e) => x.setSignMode(e.target.value as SignMode)}
          aria-label="Sign"
          data-testid="sign-mode"
        >
          {SIGN_CHOICES.map(([mode, words]) => (
            <option key={mode} value={mode}>
              {words}
            </option>
          ))}
        </select>
      </label>
      {!signed && map.min < 0 && map.max > 0 && (
        <p className="muted" data-testid="negatives-hidden">
          Negative values (regions whose hiding raised the output) are hidden: choose Signed to see them.
        </p>
      )}
      <label className="field">
        Colormap
        <select
          value={drawnColormap(signed, x.colormap)}
          onChange={(e) => x.setColormap(e.target.value as ColormapName)}
          aria-label="Colormap"
          disabled={signed}
          title={signed ? 'Signed maps use the diverging blue–white–red scale: choose Positive only to pick a colormap' : undefined}
        >
          {colormapMenu(signed).map((c) => (
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
        Threshold {Math.round(x.threshold * 100)}% of the largest {signed ? 'magnitude' : 'value'}
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
          signed={signed}
          signWords={signWords(map.params)}
        />
      )}
    </div>
  );
}
