import { describe, expect, it } from 'vitest';
import { erf } from './erf.js';
import { erfKernel1d, gaussianOcclusionFactor, importanceMap } from './occlusionWeights.js';

describe('erf', () => {
  it.each([
    [0, 0],
    [0.5, 0.5204998778130465],
    [1, 0.8427007929497149],
    [2, 0.9953222650189527],
    [2.9, 0.9999589021219005],
    [3.5, 0.9999992569016276],
    [-1, -0.8427007929497149],
  ])('erf(%f) = %f', (x, expected) => {
    expect(Math.abs(erf(x) - expected)).toBeLessThan(1e-13);
  });
});

describe('gaussianOcclusionFactor (MONAI gaussian_occlusion)', () => {
  it('is 0 at the centre voxel m // 2, 1 at voxel 0 (the far corner of an even mask), within [0, 1]', () => {
    const m = 4;
    const f = gaussianOcclusionFactor([m, m, m]);
    const at = (i: number, j: number, k: number) => f[(i * m + j) * m + k]!;
    expect(at(2, 2, 2)).toBe(0);
    expect(at(0, 0, 0)).toBeCloseTo(1, 7);
    expect(Math.min(...f)).toBe(0);
    expect(Math.max(...f)).toBeCloseTo(1, 7);
    // Symmetric about the centre: offsets -1 and +1 are equal.
    expect(at(1, 2, 2)).toBeCloseTo(at(3, 2, 2), 7);
  });

  it('equals (max g - g) / (max g - min g) of the product of erf kernels, by hand for a 1x1x4 mask', () => {
    const k = (x: number) => 0.5 * (erf((x + 0.5) * (0.70710678 / 1)) - erf((x - 0.5) * (0.70710678 / 1)));
    // sigma = 0.25 * 4 = 1 on the last axis; sizes 1 have sigma 0.25 and a single offset 0.
    const g = [-2, -1, 0, 1].map(k);
    const expected = g.map((v) => (g[2]! - v) / (g[2]! - g[0]!));
    const f = gaussianOcclusionFactor([1, 1, 4]);
    expected.forEach((v, i) => expect(f[i]).toBeCloseTo(v, 6));
    expect(erfKernel1d(0, 1)).toBeCloseTo(k(0), 12);
  });

  it('is all zeros for a one-voxel mask (ScaleIntensity of a constant)', () => {
    expect(Array.from(gaussianOcclusionFactor([1, 1, 1]))).toEqual([0]);
  });
});

describe('importanceMap (MONAI compute_importance_map)', () => {
  it('is uniform in constant mode', () => {
    expect(Array.from(importanceMap([2, 1, 2], false))).toEqual([1, 1, 1, 1]);
  });

  it('is a Gaussian with sigma 0.125 * m, peak 1 for odd sizes, floored at 1e-3', () => {
    const m = 5;
    const w = importanceMap([m, m, m], true);
    expect(w[(2 * m + 2) * m + 2]).toBe(1);
    const sigma = 0.125 * m;
    expect(w[(2 * m + 2) * m + 3]).toBeCloseTo(Math.exp(-1 / (2 * sigma * sigma)), 6);
    // The corner would be exp(-3 * 4 / (2 sigma^2)) ~ 2e-8: raised to 1e-3.
    expect(w[0]).toBeCloseTo(1e-3, 9);
  });
});
