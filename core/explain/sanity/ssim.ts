// The structural similarity (SSIM) of two maps, Wang, Bovik, Sheikh & Simoncelli, "Image Quality Assessment:
// From Error Visibility to Structural Similarity", IEEE TIP 13(4), 2004, computed in 3-D: the local means,
// variances and covariance over a cubic window around every voxel, averaged over the volume (the paper's
// MSSIM). Adebayo et al. (NeurIPS 2018) compare saliency maps with it after scaling each to [0, 1].

import { VoxlabError } from '../../common/errors.js';

/**
 * The paper's constants: C1 = (K1 L)^2, C2 = (K2 L)^2 with K1 = 0.01, K2 = 0.03 and the dynamic range
 * L = 1 (maps scaled to [0, 1]).
 */
const C1 = 0.01 ** 2;
const C2 = 0.03 ** 2;

/**
 * Edge of the cubic window, in voxels. The paper's 2-D window is an 11x11 Gaussian with sigma 1.5 (most of its
 * weight within +-3 pixels, a span of 7); a uniform 7^3 window spans the same and keeps small model-input
 * maps (16^3) in reach. It is clipped to a map's edge (a 4-deep map gets a 4-deep window).
 */
export const SSIM_WINDOW = 7;

/** `map` min-max scaled to [0, 1] (a constant map becomes all 0). */
export function unitScaled(map: ArrayLike<number>): Float64Array {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < map.length; i++) {
    min = Math.min(min, map[i]!);
    max = Math.max(max, map[i]!);
  }
  const range = max - min;
  return Float64Array.from(map as ArrayLike<number>, (v) => (range > 0 ? (v - min) / range : 0));
}

/**
 * Sums of `v` ([d, h, w], C order) over every `k`-long run along each axis in turn: the window sums over the
 * valid (fully inside) windows, shape [d-kd+1, h-kh+1, w-kw+1].
 */
function boxSums(v: Float64Array, shape: readonly number[], k: readonly number[]): Float64Array {
  let cur = v;
  const dims = [...shape];
  for (let axis = 0; axis < 3; axis++) {
    const n = dims[axis]!;
    const m = n - k[axis]! + 1;
    const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
    const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
    const next = new Float64Array(outer * m * inner);
    for (let o = 0; o < outer; o++)
      for (let i = 0; i < inner; i++) {
        let s = 0;
        for (let x = 0; x < k[axis]!; x++) s += cur[(o * n + x) * inner + i]!;
        next[o * m * inner + i] = s;
        for (let x = 1; x < m; x++) {
          s += cur[(o * n + x + k[axis]! - 1) * inner + i]! - cur[(o * n + x - 1) * inner + i]!;
          next[(o * m + x) * inner + i] = s;
        }
      }
    cur = next;
    dims[axis] = m;
  }
  return cur;
}

/**
 * Mean SSIM of maps `a` and `b` of `shape` [depth, height, width] (C order; any order whose last axis varies
 * fastest works the same), each first scaled to [0, 1] (unitScaled). Uniform window of SSIM_WINDOW voxels per
 * axis (or `window`), clipped to the map; only windows wholly inside the map count. 1 for identical maps;
 * near 0 for independent noise. Throws SHAPE_MISMATCH when a map's length is not the shape's.
 */
export function ssim(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  shape: readonly [number, number, number],
  window = SSIM_WINDOW,
): number {
  const n = shape[0] * shape[1] * shape[2];
  if (a.length !== n || b.length !== n || n === 0)
    throw new VoxlabError(
      'SHAPE_MISMATCH',
      `ssim: maps of ${a.length} and ${b.length} values for shape [${shape.join(', ')}]`,
    );
  if (!(Number.isInteger(window) && window >= 1))
    throw new VoxlabError('BAD_ARGUMENT', `ssim: window must be a whole number >= 1, got ${window}`);
  const x = unitScaled(a);
  const y = unitScaled(b);
  const k = shape.map((s) => Math.min(s, window));
  const count = k[0]! * k[1]! * k[2]!;
  const sx = boxSums(x, shape, k);
  const sy = boxSums(y, shape, k);
  const sxx = boxSums(
    x.map((v) => v * v),
    shape,
    k,
  );
  const syy = boxSums(
    y.map((v) => v * v),
    shape,
    k,
  );
  const sxy = boxSums(
    x.map((v, i) => v * y[i]!),
    shape,
    k,
  );
  let total = 0;
  for (let i = 0; i < sx.length; i++) {
    const mx = sx[i]! / count;
    const my = sy[i]! / count;
    // Unbiased (N - 1) variance and covariance as the paper's eq. 5 and 11 (for a 1-voxel window, the biased ones: 0).
    const norm = count > 1 ? count - 1 : 1;
    const vx = Math.max(0, (sxx[i]! - count * mx * mx) / norm);
    const vy = Math.max(0, (syy[i]! - count * my * my) / norm);
    const cxy = (sxy[i]! - count * mx * my) / norm;
    total += ((2 * mx * my + C1) * (2 * cxy + C2)) / ((mx * mx + my * my + C1) * (vx + vy + C2));
  }
  return total / sx.length;
}
