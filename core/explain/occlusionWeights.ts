// The two small 3-D arrays occlusion sensitivity uses, computed as MONAI computes them: the Gaussian
// occlusion factor (OcclusionSensitivity.gaussian_occlusion: a centred delta smoothed by GaussianSmooth with
// sigma = 0.25 * mask, negated, ScaleIntensity'd to [0, 1]) and the window importance map that weighs
// overlapping windows (monai/data/utils.py compute_importance_map). Both C-order over [m0, m1, m2].

import { erf } from './erf.js';

/**
 * MONAI's gaussian_1d(sigma, truncated=4, approx='erf') at integer offsets x:
 * 0.5 * (erf((x + 0.5) t) - erf((x - 0.5) t)), t = 0.70710678 / sigma, clamped at 0. The kernel's tail
 * int(4 sigma + 0.5) = mask >= every offset inside the mask, so a delta smoothed by it equals the kernel.
 */
export function erfKernel1d(offset: number, sigma: number): number {
  const t = 0.70710678 / Math.abs(sigma);
  return Math.max(0, 0.5 * (erf((offset + 0.5) * t) - erf((offset - 0.5) * t)));
}

/**
 * The multiplier of gaussian occlusion over a window of `mask` voxels: with g(p) = prod_d k_d(p_d - m_d // 2)
 * (k_d = erfKernel1d with sigma 0.25 * m_d), factor = (max g - g) / (max g - min g): 0 at the centre voxel
 * m // 2, 1 at the farthest corner (voxel 0 for even sizes), smooth between. All zeros when g is constant
 * (a 1-voxel mask), as MONAI's ScaleIntensity does for a constant image.
 */
export function gaussianOcclusionFactor(mask: readonly [number, number, number]): Float32Array {
  const axes = mask.map((m) =>
    Array.from({ length: m }, (_, p) => erfKernel1d(p - Math.floor(m / 2), 0.25 * m)),
  );
  const g = outer(axes);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of g) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const out = new Float32Array(g.length);
  if (hi > lo) for (let i = 0; i < g.length; i++) out[i] = (hi - g[i]!) / (hi - lo);
  return out;
}

/**
 * The weight of each voxel of a window when overlapping windows are averaged. 'gaussian':
 * prod_d exp(-x_d^2 / (2 (0.125 m_d)^2)) with x_d = p_d - (m_d - 1) / 2 (peak 1 at the centre for odd sizes,
 * just below 1 for even ones), then raised to at least max(min, 1e-3) as MONAI does (corners of a 12^3
 * window would otherwise weigh ~2e-9). 'uniform': all ones.
 */
export function importanceMap(mask: readonly [number, number, number], gaussian: boolean): Float32Array {
  const n = mask[0] * mask[1] * mask[2];
  if (!gaussian) return new Float32Array(n).fill(1);
  const axes = mask.map((m) => {
    const sigma = 0.125 * m;
    return Array.from({ length: m }, (_, p) => {
      const x = p - (m - 1) / 2;
      return Math.exp((x * x) / (-2 * sigma * sigma));
    });
  });
  const g = outer(axes);
  let lo = Infinity;
  for (const v of g) lo = Math.min(lo, v);
  const floor = Math.max(lo, 1e-3);
  return Float32Array.from(g, (v) => Math.max(v, floor));
}

/** The outer product of three 1-D arrays, C order (float64). */
function outer(axes: number[][]): Float64Array {
  const [a, b, c] = axes as [number[], number[], number[]];
  const out = new Float64Array(a.length * b.length * c.length);
  let i = 0;
  for (const x of a) for (const y of b) for (const z of c) out[i++] = x * y * z;
  return out;
}
