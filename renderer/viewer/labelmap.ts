// The open scan's labelmap on the viewer's LPS-ordered grid (uint8 class indices), painted stroke by stroke
// with undo/redo, converted from and to the file's voxel order for the core (labelmaps.get / save).

import type { VolumeMeta } from '../../core/api/index.js';
import { useSegmentationStore } from '../stores/useSegmentationStore.js';
import { applyPatch, paintDisk, planeAxes, worldToGridIndex, type Patch } from './brush.js';
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

let current: Labelmap | null = null;
let undoStack: Patch[] = [];
let redoStack: Patch[] = [];
let stroke: { patch: Patch; seen: Set<number> } | null = null;

function notify(): void {
  useSegmentationStore.getState().changed(undoStack.length, redoStack.length);
}

/** Installs the labelmap of a scan: `fileData` in the file's voxel order (null = empty). */
export function installLabelmap(imageId: string, meta: VolumeMeta, geometry: CornerstoneGeometry, fileData: Uint8Array | null): void {
  const n = meta.shape[0] * meta.shape[1] * meta.shape[2];
  if (fileData !== null && fileData.length !== n)
    throw new Error(`installLabelmap: ${fileData.length} bytes for shape [${meta.shape.join(', ')}]`);
  const data = fileData === null ? new Uint8Array(n) : reorderVoxels(fileData, meta.shape, meta.affine);
  current = { imageId, meta, geometry, data, painted: data.some((v) => v !== 0) };
  undoStack = [];
  redoStack = [];
  stroke = null;
}

export function currentLabelmap(): Labelmap | null {
  return current;
}

/** The labelmap in the file's voxel order (what labelmaps.save takes). */
export function fileOrderLabelmap(): Uint8Array | null {
  return current === null ? null : restoreVoxelOrder(current.data, current.meta.shape, current.meta.affine);
}

/** Paints (or erases) at a world point in a view with normal `viewNormal`; starts a stroke if none is open. */
export function paintAt(world: WorldLps, viewNormal: readonly [number, number, number]): void {
  if (current === null) return;
  const { tool, radiusMm, label } = useSegmentationStore.getState();
  if (tool === 'none') return;
  stroke ??= { patch: { index: [], before: [], after: [] }, seen: new Set() };
  const g = current.geometry;
  const center = worldToGridIndex(g, world);
  const changed = paintDisk(current.data, g.dimensions, g.spacing, center, planeAxes(g.direction, viewNormal), radiusMm, tool === 'eraser' ? 0 : label, stroke.patch, stroke.seen);
  if (changed > 0) {
    current.painted = true;
    useSegmentationStore.setState((s) => ({ revision: s.revision + 1 }));
  }
}

/** Ends the open stroke; true when it changed anything (then it is undoable and worth saving). */
export function endStroke(): boolean {
  const done = stroke;
  stroke = null;
  if (done === null || done.patch.index.length === 0) return false;
  undoStack.push(done.patch);
  redoStack = [];
  notify();
  return true;
}

export function undoStroke(): boolean {
  const patch = undoStack.pop();
  if (patch === undefined || current === null) return false;
  applyPatch(current.data, patch, 'undo');
  redoStack.push(patch);
  notify();
  return true;
}

export function redoStroke(): boolean {
  const patch = redoStack.pop();
  if (patch === undefined || current === null) return false;
  applyPatch(current.data, patch, 'redo');
  undoStack.push(patch);
  notify();
  return true;
}
