// The open scan's labelmap on the viewer's LPS-ordered grid (uint8 segment values), edited stroke by stroke
// (disk or sphere brush), by fill-between-slices or a restore, with undo/redo of each edit, converted from
// and to the file's voxel order for the core (labelmaps.get / save). A previewed older version is held
// beside it and drawn instead, never edited.

import type { VolumeMeta } from '../../core/api/index.js';
import { useSegmentationStore } from '../stores/useSegmentationStore.js';
import type { ViewName } from '../stores/useViewerStore.js';
import {
  applyPatch,
  diffPatch,
  openPatch,
  paintDisk,
  paintSphere,
  planeAxes,
  worldToGridIndex,
  type OpenPatch,
  type Patch,
} from './brush.js';
import { reorderVoxels, restoreVoxelOrder, type CornerstoneGeometry, type WorldLps } from './geometry.js';

interface Labelmap {
  readonly imageId: string;
  /** False while every voxel is 0 since loading (the overlay then skips drawing). */
  painted: boolean;
  readonly meta: VolumeMeta;
  readonly geometry: CornerstoneGeometry;
  /** Grid (LPS) order, as displayed. */
  readonly data: Uint8Array;
}

/** One undoable edit: its voxels and what it was, for "Undid ..." messages and the version note. */
export interface Edit {
  readonly patch: Patch;
  /** E.g. 'a brush stroke', 'a sphere eraser stroke', 'fill between slices', 'the restore of version 3'. */
  readonly what: string;
  /** The segment value written (0 for the eraser). */
  readonly value: number;
}

let current: Labelmap | null = null;
let preview: Uint8Array | null = null;
let undoStack: Edit[] = [];
let redoStack: Edit[] = [];
let stroke: { open: OpenPatch; what: string; value: number } | null = null;

/** Voxels per value 0..255. */
export function histogram(data: Uint8Array): number[] {
  const counts = new Array<number>(256).fill(0);
  for (let n = 0; n < data.length; n++) counts[data[n]!]!++;
  return counts;
}

function notify(): void {
  useSegmentationStore
    .getState()
    .changed(undoStack.length, redoStack.length, current === null ? [] : histogram(current.data));
}

/** Installs the labelmap of a scan: `fileData` in the file's voxel order (null = empty). */
export function installLabelmap(
  imageId: string,
  meta: VolumeMeta,
  geometry: CornerstoneGeometry,
  fileData: Uint8Array | null,
): void {
  const n = meta.shape[0] * meta.shape[1] * meta.shape[2];
  if (fileData !== null && fileData.length !== n)
    throw new Error(`installLabelmap: ${fileData.length} bytes for shape [${meta.shape.join(', ')}]`);
  const data = fileData === null ? new Uint8Array(n) : reorderVoxels(fileData, meta.shape, meta.affine);
  current = { imageId, meta, geometry, data, painted: data.some((v) => v !== 0) };
  preview = null;
  undoStack = [];
  redoStack = [];
  stroke = null;
  notify();
}

export function currentLabelmap(): Labelmap | null {
  return current;
}

/** The labelmap in the file's voxel order (what labelmaps.save takes). */
export function fileOrderLabelmap(): Uint8Array | null {
  return current === null ? null : restoreVoxelOrder(current.data, current.meta.shape, current.meta.affine);
}

/** File-order bytes of the open scan (e.g. an older version) in grid order; throws on a wrong size. */
export function toGridOrder(fileData: Uint8Array): Uint8Array {
  if (current === null) throw new Error('toGridOrder: no labelmap is open');
  const { shape, affine } = current.meta;
  if (fileData.length !== shape[0] * shape[1] * shape[2])
    throw new Error(`toGridOrder: ${fileData.length} bytes for shape [${shape.join(', ')}]`);
  return reorderVoxels(fileData, shape, affine);
}

/** Shows `gridData` (grid order, e.g. from toGridOrder) instead of the labelmap; null shows the labelmap again. */
export function setPreviewData(gridData: Uint8Array | null): void {
  preview = gridData;
}

/** What the overlay draws: the previewed version, else the labelmap (null when there is nothing to draw). */
export function displayedLabelmap(): Uint8Array | null {
  if (preview !== null) return preview;
  return current !== null && current.painted ? current.data : null;
}

/**
 * Paints (or erases) at a world point in `view`, whose normal is `viewNormal`; starts a stroke if none is
 * open (and remembers the view: fill between slices works along it). Does nothing while previewing.
 */
export function paintAt(
  world: WorldLps,
  viewNormal: readonly [number, number, number],
  view?: ViewName,
): void {
  if (current === null || preview !== null) return;
  const { tool, radiusMm, label, sphere, lastView, setLastView } = useSegmentationStore.getState();
  if (tool === 'none') return;
  const value = tool === 'eraser' ? 0 : label;
  if (stroke === null && view !== undefined && view !== lastView) setLastView(view);
  stroke ??= {
    open: openPatch(),
    what: `${sphere ? 'a sphere' : tool === 'eraser' ? 'an' : 'a'} ${tool} stroke`,
    value,
  };
  const g = current.geometry;
  const center = worldToGridIndex(g, world);
  const changed = sphere
    ? paintSphere(current.data, g.dimensions, g.spacing, center, radiusMm, value, stroke.open)
    : paintDisk(
        current.data,
        g.dimensions,
        g.spacing,
        center,
        planeAxes(g.direction, viewNormal),
        radiusMm,
        value,
        stroke.open,
      );
  if (changed > 0) {
    current.painted = true;
    useSegmentationStore.getState().redraw();
  }
}

/** Ends the open stroke; returns it when it changed anything (then it is undoable and worth saving). */
export function endStroke(): Edit | null {
  const done = stroke;
  stroke = null;
  if (done === null || done.open.patch.index.length === 0) return null;
  return pushEdit({ patch: done.open.patch, what: done.what, value: done.value });
}

/** Records an edit already applied to currentLabelmap().data (fill, restore) as one undoable step. */
export function pushEdit(edit: Edit): Edit {
  if (current !== null && edit.patch.index.length > 0) current.painted = true;
  undoStack.push(edit);
  redoStack = [];
  notify();
  return edit;
}

/** Replaces the whole labelmap by `gridData` (grid order) as one undoable edit; null when nothing differs. */
export function replaceLabelmap(gridData: Uint8Array, what: string): Edit | null {
  if (current === null) return null;
  const patch = diffPatch(current.data, gridData);
  if (patch.index.length === 0) return null;
  applyPatch(current.data, patch, 'redo');
  return pushEdit({ patch, what, value: 0 });
}

/** The newest undoable edit (what the next save records), or null. */
export function lastEdit(): Edit | null {
  return undoStack.at(-1) ?? null;
}

/** Undoes the last edit; returns it, or null when there was none. */
export function undoEdit(): Edit | null {
  const edit = undoStack.pop();
  if (edit === undefined || current === null) return null;
  applyPatch(current.data, edit.patch, 'undo');
  redoStack.push(edit);
  notify();
  return edit;
}

/** Redoes the last undone edit; returns it, or null when there was none. */
export function redoEdit(): Edit | null {
  const edit = redoStack.pop();
  if (edit === undefined || current === null) return null;
  applyPatch(current.data, edit.patch, 'redo');
  undoStack.push(edit);
  notify();
  return edit;
}
