// The tensor every transform takes and returns: float32 values in C order, channel-first like MONAI
// ([C, D, H, W] for 3D), plus the conversions from and to a Volume's NIfTI (Fortran) voxel order.

import { assert } from '../common/errors.js';
import type { Volume } from '../io/types.js';
import { reverseAxes3d } from './reverseAxes3d.js';

/**
 * A dense float32 array in C order (last axis fastest), as PyTorch/NumPy store it.
 * Transforms use MONAI's channel-first layout: [C, D, H, W] for 3D images, where D, H, W are the
 * file's voxel axes i, j, k (no reorientation), so value(c, i, j, k) = data[((c * D + i) * H + j) * W + k].
 */
export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Number of elements of a shape (1 for rank 0). */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** C-order strides (in elements) of a shape: stride[last] = 1. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  return strides;
}

/**
 * Checks that `t` is a well-formed tensor whose rank lies in [minRank, maxRank]: positive integer
 * sizes and data.length equal to their product. Throws BAD_ARGUMENT naming `fn` and the bad value.
 */
export function checkTensor(fn: string, t: Tensor, minRank: number, maxRank = Infinity): void {
  assert(
    typeof t === 'object' && t !== null && Array.isArray(t.shape) && t.data instanceof Float32Array,
    () => `${fn}: expected a tensor { shape: number[], data: Float32Array }, got ${describe(t)}`,
  );
  const rank = t.shape.length;
  assert(
    rank >= minRank && rank <= maxRank,
    () =>
      `${fn}: expected a tensor of rank ${minRank === maxRank ? minRank : `${minRank}..${maxRank}`} ` +
      `(channel-first [C, ...spatial]), got shape [${t.shape.join(', ')}]`,
  );
  for (let d = 0; d < rank; d++) {
    const s = t.shape[d]!;
    assert(Number.isInteger(s) && s > 0, () => `${fn}: shape[${d}] must be a positive integer, got ${s}`);
  }
  assert(
    t.data.length === numel(t.shape),
    () => `${fn}: data has ${t.data.length} values but shape [${t.shape.join(', ')}] needs ${numel(t.shape)}`,
  );
}

/** Makes a tensor, checking that data.length matches the shape. Copies nothing. */
export function makeTensor(shape: readonly number[], data: Float32Array): Tensor {
  const t = { shape: [...shape], data };
  checkTensor('makeTensor', t, 0);
  return t;
}

/**
 * A Volume as a channel-first tensor [1, nx, ny, nz] in C order (MONAI's EnsureChannelFirst of the
 * nibabel array). The Volume holds value(i, j, k) at i + nx * (j + ny * k) (Fortran order); the tensor
 * holds it at (i * ny + j) * nz + k. A cache-blocked transpose; the Volume is not changed.
 */
export function volumeToTensor(volume: Volume): Tensor {
  const [nx, ny, nz] = checkVolume('volumeToTensor', volume);
  const data = new Float32Array(nx * ny * nz);
  // The Fortran array read in C order has shape [nz, ny, nx]; reversing its axes gives [nx, ny, nz].
  reverseAxes3d(volume.data, [nz, ny, nx], data);
  return { shape: [1, nx, ny, nz], data };
}

/**
 * The inverse of volumeToTensor: a [1, nx, ny, nz] (or [nx, ny, nz]) C-order tensor as Fortran-order
 * data (i fastest), ready to be a Volume's `data`. Throws BAD_ARGUMENT for more than one channel.
 */
export function tensorToFortran(t: Tensor): { shape: [number, number, number]; data: Float32Array } {
  checkTensor('tensorToFortran', t, 3, 4);
  assert(
    t.shape.length === 3 || t.shape[0] === 1,
    () => `tensorToFortran: expected one channel, got shape [${t.shape.join(', ')}]`,
  );
  const [nx, ny, nz] = t.shape.slice(-3) as [number, number, number];
  const data = new Float32Array(nx * ny * nz);
  reverseAxes3d(t.data, [nx, ny, nz], data);
  return { shape: [nx, ny, nz], data };
}

/** Checks a Volume's shape and data length; returns its [nx, ny, nz]. */
export function checkVolume(fn: string, volume: Volume): [number, number, number] {
  assert(
    typeof volume === 'object' &&
      volume !== null &&
      Array.isArray(volume.shape) &&
      volume.data instanceof Float32Array,
    () => `${fn}: expected a Volume { shape: [nx, ny, nz], data: Float32Array }, got ${describe(volume)}`,
  );
  assert(
    volume.shape.length === 3,
    () => `${fn}: expected a 3D volume shape, got [${volume.shape.join(', ')}]`,
  );
  for (let d = 0; d < 3; d++) {
    const s = volume.shape[d]!;
    assert(
      Number.isInteger(s) && s > 0,
      () => `${fn}: volume shape[${d}] must be a positive integer, got ${s}`,
    );
  }
  const [nx, ny, nz] = volume.shape;
  assert(
    volume.data.length === nx * ny * nz,
    () =>
      `${fn}: volume data has ${volume.data.length} values but shape [${nx}, ${ny}, ${nz}] needs ${nx * ny * nz}`,
  );
  return [nx, ny, nz];
}

function describe(v: unknown): string {
  if (v === null || typeof v !== 'object') return String(v);
  const shape = (v as { shape?: unknown }).shape;
  return `an object with shape ${Array.isArray(shape) ? `[${shape.join(', ')}]` : String(shape)}`;
}
