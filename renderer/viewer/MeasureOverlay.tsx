// The measurements of one view drawn in SVG over it (Cornerstone's annotation tools are not used: like its
// CrosshairsTool they do not follow our local volumes): lengths with their mm, regions with their mean and
// volume, each shown on the slice it was drawn on, redrawn whenever a camera moves.

import { useMemo } from 'react';
import { useMeasureStore, type Measurement, type Point3 } from '../stores/useMeasureStore.js';
import { useViewerStore, type ViewName } from '../stores/useViewerStore.js';
import { volumeViewport } from './cornerstone.js';
import { measurementValues, regionOf } from './measureValues.js';
import { loadedVolume, scanVolumeId } from './volumes.js';

const dot = (a: readonly number[], b: readonly number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;

/** Half the scan's voxel extent along `normal` (mm): a measurement within it of the view's plane is on this slice. */
function halfSlice(imageId: string, normal: Point3): number {
  const g = loadedVolume(scanVolumeId(imageId))?.geometry;
  if (g === undefined) return 0.5;
  return 0.5 * [0, 1, 2].reduce((s, i) => s + Math.abs(dot(g.direction.slice(i * 3, i * 3 + 3), normal)) * g.spacing[i]!, 0);
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Number(v.toPrecision(3)).toString());

function label(m: Measurement, imageId: string): string {
  const values = measurementValues(m, imageId);
  if (values?.lengthMm !== undefined) return `#${m.id} ${values.lengthMm.toFixed(1)} mm`;
  const scan = values?.scan;
  if (scan === undefined || scan.count === 0) return `#${m.id} outside the scan`;
  return `#${m.id} mean ${fmt(scan.mean)} · ${fmt(scan.volumeMm3)} mm³`;
}

/** `version` changes with every camera change (scroll, zoom, pan) so the shapes follow the image. */
export function MeasureOverlay(props: { view: ViewName; version: number }): React.JSX.Element | null {
  const { view } = props;
  const items = useMeasureStore((s) => s.items);
  const draft = useMeasureStore((s) => s.draft);
  const imageId = useViewerStore((s) => s.loadedId);
  const all = useMemo(() => (draft === null ? items : [...items, { ...draft, id: 0 }]), [items, draft]);
  const labels = useMemo(
    () => new Map(imageId === null ? [] : items.map((m) => [m.id, label(m, imageId)] as const)),
    [items, imageId],
  );
  const vp = volumeViewport(view);
  const cam = vp?.getCamera();
  if (vp === null || imageId === null || cam?.focalPoint === undefined || cam.viewPlaneNormal === undefined) return null;
  const normal = cam.viewPlaneNormal as unknown as Point3;
  const focal = cam.focalPoint as unknown as Point3;
  const h = halfSlice(imageId, normal);
  const onSlice = all.filter(
    (m) => Math.abs(dot(m.normal, normal)) > 0.999 && Math.abs(dot([m.a[0] - focal[0], m.a[1] - focal[1], m.a[2] - focal[2]], normal)) < h,
  );
  const toCanvas = (p: readonly number[]) => vp.worldToCanvas([p[0]!, p[1]!, p[2]!]);
  return (
    <svg className="measure-overlay" data-version={props.version} aria-hidden="true">
      {onSlice.map((m) => (
        <g key={m.id} className={m.id === 0 ? 'measure-draft' : 'measure-item'} data-measure-id={m.id}>
          {shape(m, toCanvas)}
          {m.id !== 0 && <MeasureLabel at={labelPoint(m, toCanvas)} width={vp.element.clientWidth} text={labels.get(m.id) ?? ''} />}
        </g>
      ))}
    </svg>
  );
}

function shape(m: Measurement, toCanvas: (p: readonly number[]) => readonly number[]): React.JSX.Element {
  if (m.kind === 'length') {
    const [a, b] = [toCanvas(m.a), toCanvas(m.b)];
    return (
      <>
        <line x1={a[0]} y1={a[1]} x2={b[0]} y2={b[1]} />
        <circle cx={a[0]} cy={a[1]} r={3} />
        <circle cx={b[0]} cy={b[1]} r={3} />
      </>
    );
  }
  const roi = regionOf(m);
  const at = (su: number, sv: number) =>
    toCanvas([0, 1, 2].map((c) => roi.center[c]! + su * roi.halfU * roi.u[c]! + sv * roi.halfV * roi.v[c]!));
  if (m.kind === 'rectangle') {
    const corners = [at(-1, -1), at(1, -1), at(1, 1), at(-1, 1)];
    return <polygon points={corners.map((p) => `${p[0]},${p[1]}`).join(' ')} />;
  }
  const [c, u, v] = [at(0, 0), at(1, 0), at(0, 1)];
  return <ellipse cx={c[0]} cy={c[1]} rx={Math.hypot(u[0]! - c[0]!, u[1]! - c[1]!)} ry={Math.hypot(v[0]! - c[0]!, v[1]! - c[1]!)} />;
}

/** Where a label goes (canvas px): beside a length's right-most end, above a region's top-right corner. */
function labelPoint(m: Measurement, toCanvas: (p: readonly number[]) => readonly number[]): readonly number[] {
  const [a, b] = [toCanvas(m.a), toCanvas(m.b)];
  if (m.kind === 'length') return a[0]! > b[0]! ? a : b;
  return [Math.max(a[0]!, b[0]!), Math.min(a[1]!, b[1]!)];
}

/** A label right of `at`, moved left as far as needed to stay inside a view `width` px wide (12 px font). */
function MeasureLabel(props: { at: readonly number[]; width: number; text: string }): React.JSX.Element {
  const estimated = props.text.length * 7.2;
  const x = Math.max(2, Math.min(props.at[0]! + 6, props.width - estimated - 2));
  return (
    <text x={x} y={props.at[1]! - 6} className="measure-label">
      {props.text}
    </text>
  );
}
