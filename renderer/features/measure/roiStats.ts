// Measurement math, pure: the length of a line, a region of interest (ellipse or rectangle on a view plane)
// from two drag corners, and the statistics of a volume's voxels inside it, over file-order voxels.

import { assert } from '../../../core/common/errors.js';
import { invertAffine } from '../../viewer/geometry.js';

export type Vec3 = readonly [number, number, number];

/** A region on a plane, in one world frame (mm): centre, orthonormal in-plane axes u, v, normal n. */
export interface PlaneRoi {
  readonly shape: 'ellipse' | 'rectangle';
  readonly center: Vec3;
  readonly u: Vec3;
  readonly v: Vec3;
  readonly n: Vec3;
  /** Half extents along u and v, mm (the ellipse's semi-axes). */
  readonly halfU: number;
  readonly halfV: number;
}

/**
 * Voxels in file order, value(i, j, k) = data[i + nx * (j + ny * k)], with `affine` (row-major 4x4) mapping
 * a voxel index to world mm in the same frame as the region.
 */
export interface VoxelGrid {
  readonly data: ArrayLike<number>;
  readonly shape: readonly [number, number, number];
  readonly affine: readonly number[];
}

/** Statistics of the finite voxels inside a region; mean, std (population), min and max are NaN when count is 0. */
export interface RoiStats {
  readonly count: number;
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  readonly max: number;
  /** count x the volume of one voxel (|det| of the affine's 3x3), mm³. */
  readonly volumeMm3: number;
}

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

/** Distance between two world points, mm. */
export function lengthMm(a: Vec3, b: Vec3): number {
  return Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]);
}

/** A RAS affine (voxel -> RAS mm, the files' convention) turned into voxel -> LPS mm (Cornerstone's world). */
export function lpsAffine(ras: readonly number[]): number[] {
  return ras.map((x, i) => (i < 8 ? -x : x));
}

/**
 * The region whose bounding box has opposite corners `a` and `b` on a view with camera `viewUp` and
 * `normal` (unit vectors): u is screen right (viewUp x normal), v screen up. Throws BAD_ARGUMENT when the
 * camera vectors are not orthogonal unit vectors.
 */
export function roiFromCorners(shape: PlaneRoi['shape'], a: Vec3, b: Vec3, viewUp: Vec3, normal: Vec3): PlaneRoi {
  assert(
    Math.abs(dot(viewUp, viewUp) - 1) < 1e-6 && Math.abs(dot(normal, normal) - 1) < 1e-6 && Math.abs(dot(viewUp, normal)) < 1e-6,
    () => `roiFromCorners: the view's up [${viewUp.join(', ')}] and normal [${normal.join(', ')}] must be orthogonal unit vectors`,
  );
  const u = cross(viewUp, normal);
  const d: Vec3 = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  return {
    shape,
    center: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2],
    u,
    v: viewUp,
    n: normal,
    halfU: Math.abs(dot(d, u)) / 2,
    halfV: Math.abs(dot(d, viewUp)) / 2,
  };
}

/** The voxel-index box (inclusive, clamped to the grid) holding every point within `h` mm of the region. */
function indexBox(grid: VoxelGrid, roi: PlaneRoi, h: number): [number, number][] {
  const inv = invertAffine(grid.affine);
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (const su of [-1, 1])
    for (const sv of [-1, 1])
      for (const sn of [-1, 1]) {
        const p = [0, 1, 2].map((c) => roi.center[c]! + su * roi.halfU * roi.u[c]! + sv * roi.halfV * roi.v[c]! + sn * h * roi.n[c]!);
        for (let r = 0; r < 3; r++) {
          const idx = inv[r * 4]! * p[0]! + inv[r * 4 + 1]! * p[1]! + inv[r * 4 + 2]! * p[2]! + inv[r * 4 + 3]!;
          lo[r] = Math.min(lo[r]!, idx);
          hi[r] = Math.max(hi[r]!, idx);
        }
      }
  return [0, 1, 2].map((r) => [Math.max(0, Math.ceil(lo[r]! - 1e-9)), Math.min(grid.shape[r]! - 1, Math.floor(hi[r]! + 1e-9))]);
}

/**
 * Statistics of the voxels of `grid` whose centres lie inside `roi` and within half a voxel of its plane
 * (measured along the normal: the slab [-h, h) with h half the voxel's extent along n, so an axis-aligned
 * view takes exactly the one slice it shows). Non-finite values are skipped. Throws BAD_ARGUMENT on a grid
 * whose data does not match its shape.
 */
export function roiStats(grid: VoxelGrid, roi: PlaneRoi): RoiStats {
  const [nx, ny, nz] = grid.shape;
  assert(grid.data.length === nx * ny * nz, () => `roiStats: ${grid.data.length} voxels for shape [${grid.shape.join(', ')}]`);
  const A = grid.affine;
  const col = (i: number): Vec3 => [A[i]!, A[4 + i]!, A[8 + i]!];
  const h = 0.5 * [0, 1, 2].reduce((s, i) => s + Math.abs(dot(col(i), roi.n)), 0);
  const voxelMm3 = Math.abs(dot(col(0), cross(col(1), col(2))));
  const [[i0, i1], [j0, j1], [k0, k1]] = indexBox(grid, roi, h) as [[number, number], [number, number], [number, number]];
  let count = 0, sum = 0, sum2 = 0, min = Infinity, max = -Infinity;
  for (let k = k0; k <= k1; k++)
    for (let j = j0; j <= j1; j++)
      for (let i = i0; i <= i1; i++) {
        const d: Vec3 = [0, 1, 2].map((r) => A[r * 4]! * i + A[r * 4 + 1]! * j + A[r * 4 + 2]! * k + A[r * 4 + 3]! - roi.center[r]!) as unknown as Vec3;
        const dn = dot(d, roi.n);
        if (dn < -h || dn >= h || !inside(roi, dot(d, roi.u), dot(d, roi.v))) continue;
        const value = grid.data[i + nx * (j + ny * k)]!;
        if (!Number.isFinite(value)) continue;
        count++;
        sum += value;
        sum2 += value * value;
        if (value < min) min = value;
        if (value > max) max = value;
      }
  if (count === 0) return { count, mean: NaN, std: NaN, min: NaN, max: NaN, volumeMm3: 0 };
  const mean = sum / count;
  return { count, mean, std: Math.sqrt(Math.max(0, sum2 / count - mean * mean)), min, max, volumeMm3: count * voxelMm3 };
}

/** Whether in-plane offsets (du, dv) mm from the centre fall inside the region (its border included). */
function inside(roi: PlaneRoi, du: number, dv: number): boolean {
  const eps = 1e-9;
  if (roi.shape === 'rectangle') return Math.abs(du) <= roi.halfU + eps && Math.abs(dv) <= roi.halfV + eps;
  if (roi.halfU <= 0 || roi.halfV <= 0) return false;
  return (du / roi.halfU) ** 2 + (dv / roi.halfV) ** 2 <= 1 + eps;
}
