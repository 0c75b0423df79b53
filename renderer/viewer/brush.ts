// Brush maths for labelmap painting on the viewer's LPS-ordered grid (i fastest: index = i + nx * (j + ny * k)):
// world -> grid index, and a filled disk painted in the plane of a view, returned as a patch so a stroke
// can be undone and redone exactly.

import type { CornerstoneGeometry, WorldLps } from './geometry.js';

/** The continuous grid index of a world LPS point: D^T (p - origin) / spacing (D has unit columns). */
export function worldToGridIndex(g: Pick<CornerstoneGeometry, 'origin' | 'spacing' | 'direction'>, p: WorldLps): [number, number, number] {
  const d = [p[0] - g.origin[0], p[1] - g.origin[1], p[2] - g.origin[2]];
  return [0, 1, 2].map((a) => (g.direction[a * 3]! * d[0]! + g.direction[a * 3 + 1]! * d[1]! + g.direction[a * 3 + 2]! * d[2]!) / g.spacing[a]!) as [
    number,
    number,
    number,
  ];
}

/** Changed voxels of one stroke: flat indices with their values before and after. */
export interface Patch {
  readonly index: number[];
  readonly before: number[];
  readonly after: number[];
}

/**
 * Paints `value` into a disk of `radiusMm` around grid point `center`, in the plane spanned by grid axes
 * `plane` (the view's in-plane axes), on the slice nearest to `center` along the third axis. Appends the
 * changes to `patch` (a voxel changed twice keeps its first `before`). Returns the number of voxels changed.
 */
export function paintDisk(
  data: Uint8Array,
  dims: readonly [number, number, number],
  spacing: readonly [number, number, number],
  center: readonly [number, number, number],
  plane: readonly [number, number],
  radiusMm: number,
  value: number,
  patch: Patch,
  seen: Set<number>,
): number {
  const normal = 3 - plane[0] - plane[1];
  const slice = Math.round(center[normal]!);
  if (slice < 0 || slice >= dims[normal]!) return 0;
  const [a, b] = plane;
  const ra = radiusMm / spacing[a]!;
  const rb = radiusMm / spacing[b]!;
  const strides = [1, dims[0], dims[0] * dims[1]];
  let changed = 0;
  for (let ia = Math.ceil(center[a]! - ra); ia <= Math.floor(center[a]! + ra); ia++) {
    if (ia < 0 || ia >= dims[a]!) continue;
    for (let ib = Math.ceil(center[b]! - rb); ib <= Math.floor(center[b]! + rb); ib++) {
      if (ib < 0 || ib >= dims[b]!) continue;
      const da = (ia - center[a]!) / ra;
      const db = (ib - center[b]!) / rb;
      if (da * da + db * db > 1) continue;
      const index = ia * strides[a]! + ib * strides[b]! + slice * strides[normal]!;
      if (data[index] === value) continue;
      if (!seen.has(index)) {
        seen.add(index);
        patch.index.push(index);
        patch.before.push(data[index]!);
        patch.after.push(value);
      } else {
        patch.after[patch.index.indexOf(index)] = value;
      }
      data[index] = value;
      changed++;
    }
  }
  return changed;
}

/** Applies a patch forwards (redo) or backwards (undo). */
export function applyPatch(data: Uint8Array, patch: Patch, direction: 'undo' | 'redo'): void {
  const values = direction === 'undo' ? patch.before : patch.after;
  patch.index.forEach((index, n) => (data[index] = values[n]!));
}

/** The grid axes lying in a view's plane: the two whose direction is most perpendicular to the normal. */
export function planeAxes(direction: readonly number[], viewNormal: readonly [number, number, number]): [number, number] {
  const along = [0, 1, 2].map((a) =>
    Math.abs(direction[a * 3]! * viewNormal[0] + direction[a * 3 + 1]! * viewNormal[1] + direction[a * 3 + 2]! * viewNormal[2]),
  );
  const normal = along.indexOf(Math.max(...along));
  return [0, 1, 2].filter((a) => a !== normal) as [number, number];
}
