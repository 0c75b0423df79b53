// The measurements of the open scan, listed under the viewer: each length in mm; each region's voxel count,
// volume (mm³), mean ± std, min and max of the scan and, while a heatmap is shown, of the map under it;
// with delete and clear. Measurements go when another scan opens.

import { useEffect, useState } from 'react';
import { describeError } from '../../api/describeError.js';
import { shownMap, useExplainStore } from '../../stores/useExplainStore.js';
import { useMeasureStore, type Measurement } from '../../stores/useMeasureStore.js';
import { useViewerStore } from '../../stores/useViewerStore.js';
import { mapRegionStats, measurementValues } from '../../viewer/measureValues.js';
import type { RoiStats } from './roiStats.js';

const KIND_NAMES = { length: 'Length', ellipse: 'Ellipse', rectangle: 'Rectangle' } as const;
const num = (v: number) => Number(v.toPrecision(4)).toString();

/** Stats as data attributes (full precision, for tests and scripts) and as words. */
function StatsText(props: { stats: RoiStats; what: string; testId: string }): React.JSX.Element {
  const s = props.stats;
  const data = { 'data-count': s.count, 'data-mean': s.mean, 'data-std': s.std, 'data-min': s.min, 'data-max': s.max, 'data-volume': s.volumeMm3 };
  if (s.count === 0)
    return (
      <span data-testid={props.testId} {...data}>
        {props.what}: outside the volume
      </span>
    );
  return (
    <span data-testid={props.testId} {...data}>
      {props.what}: mean <b>{num(s.mean)}</b> ± {num(s.std)}, min {num(s.min)}, max {num(s.max)} · {s.count} voxels · {num(s.volumeMm3)} mm³
    </span>
  );
}

/** Map statistics of the region measurements while a map of this scan is shown: id -> stats or a problem. */
function useMapStats(items: readonly Measurement[], imageId: string | null): { name: string; stats: Map<number, RoiStats | string> } | null {
  const map = useExplainStore((s) => (s.visible ? shownMap(s) : null));
  const [stats, setStats] = useState(new Map<number, RoiStats | string>());
  const mapId = map !== null && map.imageId === imageId ? map.id : null;
  useEffect(() => {
    if (mapId === null) return;
    let stale = false;
    void Promise.all(
      items
        .filter((m) => m.kind !== 'length')
        .map(async (m) => [m.id, await mapRegionStats(m, mapId).catch((e: unknown) => `Could not read the map: ${describeError(e)}`)] as const),
    ).then((pairs) => {
      if (!stale) setStats(new Map(pairs));
    });
    return () => {
      stale = true;
    };
  }, [items, mapId]);
  if (map === null || mapId === null) return null;
  return { name: `map (${map.method}${map.className !== null ? `, ${map.className}` : ''})`, stats };
}

export function MeasurePanel(): React.JSX.Element | null {
  const imageId = useViewerStore((s) => s.loadedId);
  const items = useMeasureStore((s) => s.items);
  const tool = useMeasureStore((s) => s.tool);
  useEffect(() => useMeasureStore.getState().forImage(imageId), [imageId]);
  const map = useMapStats(items, imageId);
  if (imageId === null || (items.length === 0 && tool === 'none')) return null;
  return (
    <section className="measure-panel" aria-label="Measurements" data-testid="measure-panel">
      {items.length === 0 && (
        <p className="muted small">
          {tool === 'length' ? 'Drag (or click twice) in a view to measure a length.' : 'Drag in a view to draw a region; its statistics appear here.'}
        </p>
      )}
      <ul>
        {items.map((m) => {
          const values = measurementValues(m, imageId);
          const mapStats = map?.stats.get(m.id);
          return (
            <li key={m.id} data-testid={`measure-${m.id}`} data-kind={m.kind} data-length-mm={values?.lengthMm} data-voxel-box={values?.voxelBox?.join(',')}>
              <span className="measure-name">
                #{m.id} {KIND_NAMES[m.kind]} <span className="muted">({m.view})</span>
              </span>
              <span className="measure-values">
                {values?.lengthMm !== undefined && <b>{values.lengthMm.toFixed(1)} mm</b>}
                {values?.scan !== undefined && <StatsText stats={values.scan} what="scan" testId={`measure-${m.id}-scan`} />}
                {map !== null && m.kind !== 'length' && mapStats === undefined && <span className="muted">{map.name}: reading…</span>}
                {typeof mapStats === 'string' && <span className="problem-inline">{mapStats}</span>}
                {mapStats !== undefined && typeof mapStats !== 'string' && <StatsText stats={mapStats} what={map!.name} testId={`measure-${m.id}-map`} />}
              </span>
              <button className="link" onClick={() => useMeasureStore.getState().remove(m.id)} aria-label={`Delete measurement ${m.id}`}>
                Delete
              </button>
            </li>
          );
        })}
      </ul>
      {items.length > 1 && (
        <button className="link small" onClick={() => useMeasureStore.getState().clear()}>
          Delete all
        </button>
      )}
    </section>
  );
}
