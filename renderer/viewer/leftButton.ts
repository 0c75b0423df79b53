// What the left mouse button does in a view, and the two behaviours of it that live here: window/level
// drags (one VOI for every view of the scan, through the viewer store, as Slicer links them) and drawing
// measurements (drag, or click twice). Painting and crosshairs are the Viewer's handlers.

import { useMeasureStore, type Point3 } from '../stores/useMeasureStore.js';
import { useSegmentationStore } from '../stores/useSegmentationStore.js';
import { useViewerStore, type ViewName } from '../stores/useViewerStore.js';
import { volumeViewport } from './cornerstone.js';
import { loadedVolume, scanVolumeId } from './volumes.js';
import { dragVoi } from './windowLevel.js';

export type LeftButtonMode = 'paint' | 'measure' | 'crosshairs' | 'windowLevel';

/** The left button's job now: a paint tool wins, then a measuring tool, then crosshairs, else window/level. */
export function leftButtonMode(): LeftButtonMode {
  if (useSegmentationStore.getState().tool !== 'none') return 'paint';
  if (useMeasureStore.getState().tool !== 'none') return 'measure';
  if (useViewerStore.getState().crosshairs) return 'crosshairs';
  return 'windowLevel';
}

/**
 * Starts a window/level drag at client point (x, y) on `element`: until the button is released anywhere,
 * the VOI of the open scan follows the pointer (at most once a frame); the preset becomes 'custom'.
 */
export function startWindowLevelDrag(element: HTMLElement, x: number, y: number): void {
  const viewer = useViewerStore.getState();
  const volume = viewer.loadedId === null ? null : loadedVolume(scanVolumeId(viewer.loadedId));
  const start = viewer.voi;
  const size = { width: element.clientWidth, height: element.clientHeight };
  if (volume === null || start === null || size.width === 0 || size.height === 0) return;
  let last = { x, y };
  let frame = 0;
  const apply = () => {
    frame = 0;
    if (last.x === x && last.y === y) return;
    useViewerStore.getState().setVoi(dragVoi(start, last.x - x, last.y - y, size, volume.meta.stats), 'custom');
  };
  const move = (e: MouseEvent) => {
    last = { x: e.clientX, y: e.clientY };
    if (frame === 0) frame = requestAnimationFrame(apply);
  };
  const up = () => {
    window.removeEventListener('mousemove', move);
    window.removeEventListener('mouseup', up);
    if (frame !== 0) cancelAnimationFrame(frame);
    apply();
  };
  window.addEventListener('mousemove', move);
  window.addEventListener('mouseup', up);
}

const unit = (v: readonly number[]): Point3 => {
  const n = Math.hypot(v[0]!, v[1]!, v[2]!) || 1;
  return [v[0]! / n, v[1]! / n, v[2]! / n];
};

/** The world point (LPS mm) under canvas point (x, y) of `view`, or null without a viewport. */
function worldAt(view: ViewName, x: number, y: number): Point3 | null {
  const vp = volumeViewport(view);
  if (vp === null) return null;
  const w = vp.canvasToWorld([x, y]);
  return [w[0], w[1], w[2]];
}

/** Left button down at canvas point (x, y): starts a measurement there (a second click finishes one). */
export function measureDown(view: ViewName, x: number, y: number): void {
  const s = useMeasureStore.getState();
  const cam = volumeViewport(view)?.getCamera();
  const a = worldAt(view, x, y);
  if (s.tool === 'none' || s.draft !== null || a === null || cam?.viewUp === undefined || cam.viewPlaneNormal === undefined) return;
  if (useViewerStore.getState().loadedId === null) return;
  s.startDraft({ kind: s.tool, view, a, b: a, viewUp: unit(cam.viewUp), normal: unit(cam.viewPlaneNormal) });
}

/** The pointer moved over `view`: the measurement being drawn there follows it. */
export function measureMove(view: ViewName, x: number, y: number): void {
  const draft = useMeasureStore.getState().draft;
  const b = worldAt(view, x, y);
  if (draft !== null && draft.view === view && b !== null) useMeasureStore.getState().moveDraft(b);
}

/** Screen pixels a measurement must span to be kept (a click alone starts the two-click way instead). */
const MIN_PIXELS = 4;

/** Left button up: keeps the drawn measurement when it spans a few pixels, else waits for a second click. */
export function measureUp(): void {
  const draft = useMeasureStore.getState().draft;
  const vp = draft === null ? null : volumeViewport(draft.view);
  if (draft === null || vp === null) return;
  const [p, q] = [vp.worldToCanvas([...draft.a]), vp.worldToCanvas([...draft.b])];
  if (Math.hypot(q[0] - p[0], q[1] - p[1]) >= MIN_PIXELS) useMeasureStore.getState().commitDraft();
}
