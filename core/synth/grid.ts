// Geometry of a phantom: its grid affine (voxel → world RAS mm) and its pose (template mm → world mm).
// Template space is the phantom's own anatomy frame: millimetres, RAS+, origin at the head centre.

import { toAffine, type Affine } from '../common/spaces.js';
import type { PhantomOrientation } from './params.js';

/** A 3x4 row-major map of points, (p, 1) → M (p, 1): 12 numbers [r00, r01, r02, t0, r10, ...]. */
export type Map3x4 = readonly number[];

/** A subject's small rigid-plus-scale change: world = translation + scale * R(rotation) * template. */
export interface Pose {
  /** Rotations about the world x (R), y (A) and z (S) axes in degrees, applied x first, then y, then z. */
  readonly rotationDeg: readonly [number, number, number];
  /** Shift of the head centre from the world origin, in mm (RAS). */
  readonly translationMm: readonly [number, number, number];
  /** Isotropic scale factor (1 = none). */
  readonly scale: number;
}

/**
 * Voxel → world affine of a grid centred on the world origin, with isotropic voxels of `voxelSizeMm`.
 * 'RAS': i → +x (Right), j → +y (Anterior), k → +z (Superior). 'PSR' (IXI's order): i → −y (Posterior),
 * j → +z (Superior), k → +x (Right). The grid centre ((n − 1) / 2 on each axis) maps to (0, 0, 0) mm.
 */
export function gridAffine(
  shape: readonly [number, number, number],
  voxelSizeMm: number,
  orientation: PhantomOrientation,
): Affine {
  const v = voxelSizeMm;
  // Columns: world direction (x, y, z) of one step along i, j and k.
  const cols: readonly (readonly [number, number, number])[] =
    orientation === 'RAS'
      ? [
          [v, 0, 0],
          [0, v, 0],
          [0, 0, v],
        ]
      : [
          [0, -v, 0],
          [0, 0, v],
          [v, 0, 0],
        ];
  const rows: number[][] = [0, 1, 2].map((r) => {
    const lin = cols.map((c) => c[r]!);
    const offset = -lin.reduce((s, x, a) => s + (x * (shape[a]! - 1)) / 2, 0);
    return [...lin, offset];
  });
  return toAffine([...rows, [0, 0, 0, 1]]);
}

/** The top three rows of a 4x4 affine. */
export function affineTo3x4(a: Affine): Map3x4 {
  return a.slice(0, 12);
}

/** Rotation matrix R = Rz · Ry · Rx (3x3 row-major) for angles in degrees. */
export function rotationMatrix(deg: readonly [number, number, number]): number[] {
  const [ax, ay, az] = deg.map((d) => (d * Math.PI) / 180) as [number, number, number];
  const [cx, sx, cy, sy, cz, sz] = [
    Math.cos(ax),
    Math.sin(ax),
    Math.cos(ay),
    Math.sin(ay),
    Math.cos(az),
    Math.sin(az),
  ];
  return [
    cz * cy,
    cz * sy * sx - sz * cx,
    cz * sy * cx + sz * sx,
    sz * cy,
    sz * sy * sx + cz * cx,
    sz * sy * cx - cz * sx,
    -sy,
    cy * sx,
    cy * cx,
  ];
}

/** Template mm → world mm for `pose`: world = T + s R template. */
export function poseMap(pose: Pose): Map3x4 {
  const r = rotationMatrix(pose.rotationDeg);
  const s = pose.scale;
  const t = pose.translationMm;
  return [0, 1, 2].flatMap((row) => [s * r[row * 3]!, s * r[row * 3 + 1]!, s * r[row * 3 + 2]!, t[row]!]);
}

/** a ∘ b: the map that applies b, then a. */
export function compose(a: Map3x4, b: Map3x4): Map3x4 {
  const out: number[] = [];
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 4; c++) {
      let s = c === 3 ? a[r * 4 + 3]! : 0;
      for (let k = 0; k < 3; k++) s += a[r * 4 + k]! * b[k * 4 + c]!;
      out.push(s);
    }
  }
  return out;
}

/** Inverse of an invertible 3x4 map; throws RangeError for a singular one. */
export function invert(m: Map3x4): Map3x4 {
  const [a, b, c, , d, e, f, , g, h, i] = m as number[];
  const co = [e! * i! - f! * h!, c! * h! - b! * i!, b! * f! - c! * e!];
  const det = a! * co[0]! + d! * co[1]! + g! * co[2]!;
  if (Math.abs(det) < 1e-12) throw new RangeError('synth/grid.invert: singular map');
  const inv = [
    co[0]!,
    co[1]!,
    co[2]!,
    f! * g! - d! * i!,
    a! * i! - c! * g!,
    c! * d! - a! * f!,
    d! * h! - e! * g!,
    b! * g! - a! * h!,
    a! * e! - b! * d!,
  ].map((x) => x / det);
  const t = [m[3]!, m[7]!, m[11]!];
  return [0, 1, 2].flatMap((r) => {
    const row = inv.slice(r * 3, r * 3 + 3);
    return [...row, -(row[0]! * t[0]! + row[1]! * t[1]! + row[2]! * t[2]!)];
  });
}

/** Applies a 3x4 map to a point. */
export function apply(m: Map3x4, p: readonly [number, number, number]): [number, number, number] {
  const [x, y, z] = p;
  return [0, 1, 2].map((r) => m[r * 4]! * x + m[r * 4 + 1]! * y + m[r * 4 + 2]! * z + m[r * 4 + 3]!) as [
    number,
    number,
    number,
  ];
}

/** Voxel index (i, j, k) → template mm, for a grid affine and a pose. */
export function voxelToTemplate(affine: Affine, pose: Pose): Map3x4 {
  return compose(invert(poseMap(pose)), affineTo3x4(affine));
}

/** Template mm → voxel index (fractional), for a grid affine and a pose. */
export function templateToVoxel(affine: Affine, pose: Pose): Map3x4 {
  return compose(invert(affineTo3x4(affine)), poseMap(pose));
}
