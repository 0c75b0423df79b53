// Volume geometry for the viewer: a volume from the core (NIfTI voxel order, affine voxel -> world RAS mm)
// brought to the voxel order closest to LPS, the world Cornerstone3D uses (DICOM patient coordinates), with
// origin, spacing and direction cosines taken from the affine. Reordering the voxels (nibabel-style flips and
// transposes, exact) keeps the Cornerstone grid right-handed even for left-handed files such as IXI's PSR.

import {
  applyOrnt3d,
  axcodesToOrnt,
  invOrntAffine,
  ioOrientation,
  orntTransform,
} from '../../core/common/orientation.js';
import { multiplyAffine, toAffine, type Affine } from '../../core/common/spaces.js';

/** A point in world LPS millimetres (Cornerstone's world: x to patient Left, y to Posterior, z to Superior). */
export type WorldLps = readonly [number, number, number];

/** What Cornerstone's createLocalVolume needs: dimensions, spacing, origin, direction (i, j, k unit columns). */
export interface CornerstoneGeometry {
  readonly dimensions: [number, number, number];
  readonly spacing: [number, number, number];
  /** World LPS mm of voxel (0, 0, 0) of the reordered grid. */
  readonly origin: [number, number, number];
  /** Row cosines (i axis), column cosines (j axis), then the k axis: 9 numbers, each triple a unit vector in LPS. */
  readonly direction: [number, number, number, number, number, number, number, number, number];
  /** Reordered-grid voxel index -> original (file) voxel index, row-major 4x4. */
  readonly toFileIndex: Affine;
  /** Original voxel index -> world RAS mm (the file's affine). */
  readonly fileAffine: Affine;
}

const RAS_TO_LPS = toAffine([-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);

/** Geometry of a volume of `shape` [nx, ny, nz] and RAS `affine` once reordered towards LPS. */
export function cornerstoneGeometry(
  shape: readonly [number, number, number],
  affine: readonly number[],
): CornerstoneGeometry {
  const fileAffine = toAffine(affine);
  const transform = orntTransform(ioOrientation(fileAffine), axcodesToOrnt('LPS'));
  const toFileIndex = invOrntAffine(transform, shape);
  const lps = multiplyAffine(RAS_TO_LPS, multiplyAffine(fileAffine, toFileIndex));
  const dimensions: [number, number, number] = [0, 0, 0];
  transform.forEach(([axis], n) => (dimensions[axis] = shape[n]!));
  const spacing: [number, number, number] = [0, 0, 0];
  const direction = [0, 0, 0, 0, 0, 0, 0, 0, 0] as CornerstoneGeometry['direction'];
  for (let c = 0; c < 3; c++) {
    const col = [lps[c]!, lps[4 + c]!, lps[8 + c]!];
    const norm = Math.hypot(col[0]!, col[1]!, col[2]!);
    spacing[c] = norm;
    for (let r = 0; r < 3; r++) direction[c * 3 + r] = col[r]! / norm;
  }
  return {
    dimensions,
    spacing,
    origin: [lps[3]!, lps[7]!, lps[11]!],
    direction,
    toFileIndex,
    fileAffine,
  };
}

/** The voxels reordered for `geometry` (same typed array kind; the input is not changed). */
export function reorderVoxels<T extends Float32Array | Uint8Array>(
  data: T,
  shape: readonly [number, number, number],
  affine: readonly number[],
): T {
  const transform = orntTransform(ioOrientation(toAffine(affine)), axcodesToOrnt('LPS'));
  return applyOrnt3d(data, shape, transform).data;
}

/** Voxels reordered back to the file's order (inverse of reorderVoxels), e.g. a painted labelmap to save. */
export function restoreVoxelOrder<T extends Float32Array | Uint8Array>(
  data: T,
  fileShape: readonly [number, number, number],
  affine: readonly number[],
): T {
  const transform = orntTransform(axcodesToOrnt('LPS'), ioOrientation(toAffine(affine)));
  const lpsShape: [number, number, number] = [0, 0, 0];
  const forward = orntTransform(ioOrientation(toAffine(affine)), axcodesToOrnt('LPS'));
  forward.forEach(([axis], n) => (lpsShape[axis] = fileShape[n]!));
  return applyOrnt3d(data, lpsShape, transform).data;
}

/** World LPS mm -> world RAS mm (and back: the map is its own inverse). */
export function lpsToRas(p: WorldLps): [number, number, number] {
  return [-p[0], -p[1], p[2]];
}

/** Inverse of a 4x4 affine (row-major) whose last row is [0, 0, 0, 1]. Throws on a singular matrix. */
export function invertAffine(a: readonly number[]): number[] {
  const [a00, a01, a02, a10, a11, a12, a20, a21, a22] = [a[0]!, a[1]!, a[2]!, a[4]!, a[5]!, a[6]!, a[8]!, a[9]!, a[10]!];
  const c00 = a11 * a22 - a12 * a21;
  const c01 = a12 * a20 - a10 * a22;
  const c02 = a10 * a21 - a11 * a20;
  const det = a00 * c00 + a01 * c01 + a02 * c02;
  if (Math.abs(det) < 1e-12) throw new Error(`invertAffine: singular matrix (det ${det})`);
  const m = [
    c00 / det, (a02 * a21 - a01 * a22) / det, (a01 * a12 - a02 * a11) / det,
    c01 / det, (a00 * a22 - a02 * a20) / det, (a02 * a10 - a00 * a12) / det,
    c02 / det, (a01 * a20 - a00 * a21) / det, (a00 * a11 - a01 * a10) / det,
  ];
  const t = [a[3]!, a[7]!, a[11]!];
  const out: number[] = [];
  for (let r = 0; r < 3; r++) {
    const row = [m[r * 3]!, m[r * 3 + 1]!, m[r * 3 + 2]!];
    out.push(...row, -(row[0]! * t[0]! + row[1]! * t[1]! + row[2]! * t[2]!));
  }
  out.push(0, 0, 0, 1);
  return out;
}

/** The file's voxel index (fractional) at a world LPS point, through the file's RAS affine. */
export function worldToFileIndex(fileAffineInverse: readonly number[], p: WorldLps): [number, number, number] {
  const [x, y, z] = lpsToRas(p);
  const m = fileAffineInverse;
  return [0, 1, 2].map((r) => m[r * 4]! * x + m[r * 4 + 1]! * y + m[r * 4 + 2]! * z + m[r * 4 + 3]!) as [
    number,
    number,
    number,
  ];
}

/** The value at the nearest voxel of a file-order volume, or null outside the grid. */
export function valueAt(
  data: ArrayLike<number>,
  shape: readonly [number, number, number],
  index: readonly [number, number, number],
): { ijk: [number, number, number]; value: number } | null {
  const ijk = index.map((v) => Math.round(v)) as [number, number, number];
  if (ijk.some((v, a) => v < 0 || v >= shape[a]!)) return null;
  return { ijk, value: data[ijk[0] + shape[0] * (ijk[1] + shape[1] * ijk[2])]! };
}
