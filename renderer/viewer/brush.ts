// Brush maths for labelmap painting on the viewer's LPS-ordered grid (i fastest: index = i + nx * (j + ny * k)):
// world -> grid index, a filled disk painted in the plane of a view, a sphere painted across slices, each
// returned as a patch so a stroke can be undone and redone exactly.

import type { CornerstoneGeometry, WorldLps } from './geometry.js';

/** The continuous grid index of a world LPS point: D^T (p - origin) / spacing (D has unit columns). */
export function worldToGridIndex(
  g: Pick<CornerstoneGeometry, 'origin' | 'spacing' | 'direction'>,
  p: WorldLps,
): [number, number, number] {
  const d = [p[0] - g.origin[0], p[1] - g.origin[1], p[2] - g.origin[2]];
  return [0, 1, 2].map(
    (a) =>
      (g.direction[a * 3]! * d[0]! + g.direction[a * 3 + 1]! * d[1]! + g.direction[a * 3 + 2]! * d[2]!) /
      g.spacing[a]!,
  ) as [number, number, number];
}

/** Changed voxels of one edit: flat indices with their values before and after. */
export interface Patch {
  readonly index: number[];
  readonly before: number[];
  readonly after: number[];
}

/** A patch being built: `seen` maps a flat index to its position in the patch (a voxel is recorded once). */
export interface OpenPatch {
  readonly patch: Patch;
  readonly seen: Map<number, number>;
}

export const openPatch = (): OpenPatch => ({ patch: { index: [], before: [], after: [] }, seen: new Map() });

/** Writes `value` at flat `index`, recording the change (its first `before` kept). True when it changed. */
function setVoxel(data: Uint8Array, index: number, value: number, open: OpenPatch): boolean {
  if (data[index] === value) return false;
  const at = open.seen.get(index);
  if (at === undefined) {
    open.seen.set(index, open.patch.index.length);
    open.patch.index.push(index);
    open.patch.before.push(data[index]!);
    open.patch.after.push(value);
  } else {
    open.patch.after[at] = value;
  }
  data[index] = value;
  return true;
}

/**
 * Paints `value` into a disk of `radiusMm` around grid point `center`, in the plane spanned by grid axes
 * `plane` (the view's in-plane axes), on the slice nearest to `center` along the third axis. `spacing` is
 * mm per grid step per axis. Records the changes in `open`. Returns the number of voxels changed.
 */
export function paintDisk(
  data: Uint8Array,
  dims: readonly [number, number, number],
  spacing: readonly [number, number, number],
  center: readonly [number, number, number],
  plane: readonly [number, number],
  radiusMm: number,
  value: number,
  open: OpenPatch,
): number {
  const normal = 3 - plane[0] - plane[1];
  const slice = Math.round(center[normal]!);
  if (slice < 0 || slice >= dims[normal]!) return 0;
  const [a, b] = plane;
  const ra = radiusMm / spacing[a]!;
  const rb = radiusMm / spacing[b]!;
  const strides = [1, dims[0], dims[0] * dims[1]];
  let changed = 0;
  for (
    let ia = Math.max(0, Math.ceil(center[a]! - ra));
    ia <= Math.min(dims[a]! - 1, Math.floor(center[a]! + ra));
    ia++
  ) {
    for (
      let ib = Math.max(0, Math.ceil(center[b]! - rb));
      ib <= Math.min(dims[b]! - 1, Math.floor(center[b]! + rb));
      ib++
    ) {
      const da = (ia - center[a]!) / ra;
      const db = (ib - center[b]!) / rb;
      if (da * da + db * db > 1) continue;
      if (setVoxel(data, ia * strides[a]! + ib * strides[b]! + slice * strides[normal]!, value, open))
        changed++;
    }
  }
  return changed;
}

/**
 * Paints `value` into the ball of `radiusMm` around grid point `center` (all three axes, so it reaches the
 * neighbouring slices): voxel (i, j, k) is inside when sum over axes of ((index - center) * spacing)^2 <=
 * radius^2, `spacing` in mm per grid step (anisotropic voxels give an ellipsoid of grid steps, a sphere in
 * mm). Records the changes in `open`. Returns the number of voxels changed.
 */
export function paintSphere(
  data: Uint8Array,
  dims: readonly [number, number, number],
  spacing: readonly [number, number, number],
  center: readonly [number, number, number],
  radiusMm: number,
  value: number,
  open: OpenPatch,
): number {
  const lo = [0, 1, 2].map((a) => Math.max(0, Math.ceil(center[a]! - radiusMm / spacing[a]!)));
  const hi = [0, 1, 2].map((a) => Math.min(dims[a]! - 1, Math.floor(center[a]! + radiusMm / spacing[a]!)));
  const r2 = radiusMm * radiusMm;
  let changed = 0;
  for (let k = lo[2]!; k <= hi[2]!; k++) {
    const dk = (k - center[2]) * spacing[2];
    for (let j = lo[1]!; j <= hi[1]!; j++) {
      const dj = (j - center[1]) * spacing[1];
      for (let i = lo[0]!; i <= hi[0]!; i++) {
        const di = (i - center[0]) * spacing[0];
        if (di * di + dj * dj + dk * dk > r2) continue;
        if (setVoxel(data, i + dims[0] * (j + dims[1] * k), value, open)) changed++;
      }
    }
  }
  return changed;
}

/** The patch turning `before` into `after` (same length): every voxel that differs, in index order. */
export function diffPatch(before: Uint8Array, after: Uint8Array): Patch {
  if (before.length !== after.length)
    throw new Error(`diffPatch: ${before.length} voxels against ${after.length}`);
  const patch: Patch = { index: [], before: [], after: [] };
  for (let n = 0; n < before.length; n++) {
    if (before[n] === after[n]) continue;
    patch.index.push(n);
    patch.before.push(before[n]!);
    patch.after.push(after[n]!);
  }
  return patch;
}

/** Applies a patch forwards (redo) or backwards (undo). */
export function applyPatch(data: Uint8Array, patch: Patch, direction: 'undo' | 'redo'): void {
  const values = direction === 'undo' ? patch.before : patch.after;
  patch.index.forEach((index, n) => (data[index] = values[n]!));
}

/** The grid axes lying in a view's plane: the two whose direction is most perpendicular to the normal. */
export function planeAxes(
  direction: readonly number[],
  viewNormal: readonly [number, number, number],
): [number, number] {
  const along = [0, 1, 2].map((a) =>
    Math.abs(
      direction[a * 3]! * viewNormal[0] +
        direction[a * 3 + 1]! * viewNormal[1] +
        direction[a * 3 + 2]! * viewNormal[2],
    ),
  );
  const normal = along.indexOf(Math.max(...along));
  return [0, 1, 2].filter((a) => a !== normal) as [number, number];
}
