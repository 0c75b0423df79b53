// Voxel-axis orientations of affines, after nibabel's `orientations` module (nibabel 5.0, the version
// behind shared/reference): which world axis each voxel axis follows, axis codes such as 'PSR', and the
// flips/transposes that bring an array to RAS+ order. Pure math: the renderer uses it too.

import { VoxlabError } from './errors.js';
import { toAffine, type Affine, type Axcodes } from './spaces.js';

/**
 * One row per voxel axis i, j, k: `[axis, flip]`, where `axis` is the world axis that voxel axis follows
 * (0 = x, Left→Right; 1 = y, Posterior→Anterior; 2 = z, Inferior→Superior) and `flip` is 1 when the
 * voxel index grows towards the positive end (R, A, S), -1 towards the negative end.
 * `axis` is NaN for a dropped axis (a zero or degenerate affine column), as nibabel's `[nan, nan]` row.
 */
export type Ornt = readonly (readonly [axis: number, flip: 1 | -1])[];

/** Labels of the (negative, positive) end of each world axis: nibabel's default, RAS+. */
export const RAS_LABELS: readonly (readonly [string, string])[] = [
  ['L', 'R'],
  ['P', 'A'],
  ['I', 'S'],
];

/** The code used for a dropped voxel axis (nibabel reports None). */
const DROPPED_CODE = '?';

/** Entries at most this big count as zero, as numpy's `allclose(col, 0)` (atol 1e-8). */
const ALLCLOSE_ATOL = 1e-8;

type Mat3 = number[][];

function rzsOf(affine: Affine): Mat3 {
  if (affine.length !== 16 || affine.some((v) => !Number.isFinite(v))) {
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `orientation: the affine needs 16 finite numbers, got [${affine.join(', ')}]`,
    );
  }
  return [0, 1, 2].map((r) => [affine[r * 4]!, affine[r * 4 + 1]!, affine[r * 4 + 2]!]);
}

/**
 * Singular value decomposition of a 3x3 matrix by one-sided Jacobi rotations (Hestenes 1958): rotates
 * pairs of columns until they are orthogonal, so `a @ v = w` with orthogonal columns; the singular values
 * are the column norms of `w`. Accurate also for tiny singular values, which rank decisions need.
 */
function jacobiSvd3(a: Mat3): { w: Mat3; v: Mat3; s: number[] } {
  const w = a.map((row) => [...row]);
  const v: Mat3 = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ];
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < 2; p++) {
      for (let q = p + 1; q < 3; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < 3; i++) {
          alpha += w[i]![p]! ** 2;
          beta += w[i]![q]! ** 2;
          gamma += w[i]![p]! * w[i]![q]!;
        }
        if (gamma === 0 || Math.abs(gamma) <= Number.EPSILON * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (const m of [w, v]) {
          for (let i = 0; i < 3; i++) {
            const mp = m[i]![p]!;
            const mq = m[i]![q]!;
            m[i]![p] = c * mp - s * mq;
            m[i]![q] = s * mp + c * mq;
          }
        }
      }
    }
    if (!rotated) break;
  }
  const s = [0, 1, 2].map((k) => Math.hypot(w[0]![k]!, w[1]![k]!, w[2]![k]!));
  return { w, v, s };
}

/**
 * The orthogonal part of the polar decomposition of a 3x3 matrix `m` (row-major nested rows): the
 * rotation (or reflection) closest to `m`, `U @ Vt` from its SVD. Singular values at or below `tol`
 * (default: largest * 3 * float64 eps, numpy's rank rule) are dropped, so a rank-deficient `m` gives a
 * partial isometry, as in nibabel's io_orientation.
 */
export function closestRotation(m: readonly (readonly number[])[], tol?: number): number[][] {
  const { w, v, s } = jacobiSvd3(m.map((row) => [...row]));
  const smax = Math.max(...s);
  const threshold = tol ?? smax * 3 * Number.EPSILON;
  const r: Mat3 = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  for (let k = 0; k < 3; k++) {
    if (!(s[k]! > threshold)) continue;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) r[i]![j]! += (w[i]![k]! * v[j]![k]!) / s[k]!;
  }
  return r;
}

/**
 * Orientation of the voxel axes of `affine` (voxel → world RAS mm, row-major 4x4): nibabel
 * `io_orientation`. Columns are normalised, the closest rotation is found by polar decomposition, then
 * voxel axes are taken in order i, j, k (nibabel 5.0; later versions order them by strength), each
 * claiming the world axis with its largest absolute entry, which is then removed from consideration.
 * `tol`: singular values at or below it are treated as zero (see closestRotation).
 */
export function ioOrientation(affine: Affine, tol?: number): Ornt {
  const rzs = rzsOf(affine);
  const rs = rzs.map((row) => [...row]);
  for (let j = 0; j < 3; j++) {
    const zoom = Math.hypot(rzs[0]![j]!, rzs[1]![j]!, rzs[2]![j]!) || 1;
    for (let i = 0; i < 3; i++) rs[i]![j] = rzs[i]![j]! / zoom;
  }
  const r = closestRotation(rs, tol);
  const ornt: (readonly [number, 1 | -1])[] = [];
  for (let inAx = 0; inAx < 3; inAx++) {
    const col = [r[0]![inAx]!, r[1]![inAx]!, r[2]![inAx]!];
    if (col.every((c) => Math.abs(c) <= ALLCLOSE_ATOL)) {
      ornt.push([NaN, 1]);
      continue;
    }
    let outAx = 0;
    for (let i = 1; i < 3; i++) if (Math.abs(col[i]!) > Math.abs(col[outAx]!)) outAx = i;
    ornt.push([outAx, col[outAx]! < 0 ? -1 : 1]);
    r[outAx] = [0, 0, 0];
  }
  return ornt;
}

/** Axis codes of an orientation: one letter per voxel axis naming the end it points to (nibabel ornt2axcodes). */
export function orntToAxcodes(
  ornt: Ornt,
  labels: readonly (readonly [string, string])[] = RAS_LABELS,
): Axcodes {
  return ornt
    .map(([axis, flip]) => {
      if (Number.isNaN(axis)) return DROPPED_CODE;
      const pair = labels[axis];
      if (pair === undefined || !Number.isInteger(axis)) {
        throw new VoxlabError('BAD_ARGUMENT', `orntToAxcodes: axis ${axis} has no labels`);
      }
      return flip === 1 ? pair[1] : pair[0];
    })
    .join('');
}

/** Orientation from axis codes such as 'RAS' or ['P','S','R'] (nibabel axcodes2ornt); '?' is a dropped axis. */
export function axcodesToOrnt(
  axcodes: Axcodes | readonly string[],
  labels: readonly (readonly [string, string])[] = RAS_LABELS,
): Ornt {
  const codes = typeof axcodes === 'string' ? [...axcodes] : axcodes;
  const all = labels.flat();
  if (new Set(all).size !== all.length)
    throw new VoxlabError('BAD_ARGUMENT', `axcodesToOrnt: duplicate labels in ${all.join('')}`);
  return codes.map((code): readonly [number, 1 | -1] => {
    if (code === DROPPED_CODE) return [NaN, 1];
    const axis = labels.findIndex((pair) => pair.includes(code));
    if (axis < 0)
      throw new VoxlabError('BAD_ARGUMENT', `axcodesToOrnt: '${code}' is not one of ${all.join(', ')}`);
    return [axis, code === labels[axis]![0] ? -1 : 1];
  });
}

/** Axis codes of an affine, e.g. 'RAS' or 'PSR' (nibabel aff2axcodes). */
export function axcodesFromAffine(affine: Affine, tol?: number): Axcodes {
  return orntToAxcodes(ioOrientation(affine, tol));
}

/**
 * The orientation that takes arrays in `start` orientation to `end` orientation (nibabel ornt_transform):
 * row n says where voxel axis n of a `start` array goes, and whether it flips.
 */
export function orntTransform(start: Ornt, end: Ornt): Ornt {
  if (start.length !== end.length) {
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `orntTransform: orientations differ in length (${start.length} vs ${end.length})`,
    );
  }
  const result: (readonly [number, 1 | -1])[] = new Array(start.length);
  end.forEach(([endOut, endFlip], endIn) => {
    const startIn = start.findIndex(([startOut]) => startOut === endOut);
    if (startIn < 0)
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `orntTransform: world axis ${endOut} is missing from the start orientation`,
      );
    result[startIn] = [endIn, start[startIn]![1] === endFlip ? 1 : -1];
  });
  return result;
}

function checkApplicable(ornt: Ornt, fn: string): void {
  const axes = ornt.map(([a]) => a);
  if (
    ornt.length !== 3 ||
    axes.some((a) => !Number.isInteger(a) || a < 0 || a > 2) ||
    new Set(axes).size !== 3
  ) {
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `${fn}: need a full 3-axis orientation (a permutation of 0, 1, 2), got ${JSON.stringify(ornt)}`,
    );
  }
}

/**
 * The affine taking voxel indices of the array transformed by `ornt` back to indices of the original
 * array of shape `shape` (nibabel inv_ornt_aff). `newAffine = affine @ invOrntAffine(ornt, shape)`.
 * Throws BAD_ARGUMENT for a dropped axis (nibabel's OrientationError).
 */
export function invOrntAffine(ornt: Ornt, shape: readonly number[]): Affine {
  checkApplicable(ornt, 'invOrntAffine');
  const out = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
  ornt.forEach(([axis, flip], r) => {
    const centre = -((shape[r]! - 1) / 2);
    out[r * 4 + axis] = flip;
    out[r * 4 + 3] = flip * centre - centre;
  });
  return toAffine(out);
}

/** Typed arrays applyOrnt3d can reorder. */
export type VoxelArray =
  Float32Array | Float64Array | Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

/**
 * Applies `ornt` to a Fortran-order array (i fastest: value(i, j, k) = data[i + nx * (j + ny * k)]) of
 * shape [nx, ny, nz]: voxel axis n is flipped when ornt[n][1] is -1 and becomes output axis ornt[n][0]
 * (nibabel apply_orientation). Extra trailing frames (data.length a multiple of nx*ny*nz) are reordered
 * one by one. Returns a new array of the same type and the new shape.
 */
export function applyOrnt3d<T extends VoxelArray>(
  data: T,
  shape: readonly [number, number, number],
  ornt: Ornt,
): { data: T; shape: [number, number, number] } {
  checkApplicable(ornt, 'applyOrnt3d');
  const nvox = shape[0] * shape[1] * shape[2];
  if (nvox === 0 || data.length % nvox !== 0) {
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `applyOrnt3d: data length ${data.length} does not fit shape [${shape.join(', ')}]`,
    );
  }
  const outShape: [number, number, number] = [0, 0, 0];
  ornt.forEach(([axis], n) => (outShape[axis] = shape[n]!));
  const outStrides = [1, outShape[0], outShape[0] * outShape[1]];
  // Per input axis: output stride and the offset of its first index.
  const step = [0, 1, 2].map((n) => outStrides[ornt[n]![0]]! * ornt[n]![1]);
  const start = [0, 1, 2].reduce(
    (acc, n) => acc + (ornt[n]![1] === -1 ? (shape[n]! - 1) * outStrides[ornt[n]![0]]! : 0),
    0,
  );
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const [nx, ny, nz] = shape;
  const [si, sj, sk] = step as [number, number, number];
  for (let f = 0; f < data.length; f += nvox) {
    let src = f;
    for (let k = 0; k < nz; k++) {
      for (let j = 0; j < ny; j++) {
        let dst = f + start + j * sj + k * sk;
        for (let i = 0; i < nx; i++, dst += si) out[dst] = data[src++]!;
      }
    }
  }
  return { data: out, shape: outShape };
}
