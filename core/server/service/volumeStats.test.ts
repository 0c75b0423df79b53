// Volume statistics: exact min/max/mean/std, percentiles within a bin of the exact ones, also for the
// sampled histogram of a large volume; non-finite voxels ignored.

import { describe, expect, it } from 'vitest';
import { volumeStats } from './volumeStats.js';

/** The q-quantile of `values` by sorting (the definition the histogram approximates). */
function exactQuantile(values: Float32Array, q: number): number {
  const sorted = Float32Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

describe('volumeStats', () => {
  it.each([
    ['small (every voxel)', 100_000],
    ['large (sampled histogram)', 5_000_000],
  ])('%s: percentiles within a bin of the exact ones', (_, n) => {
    const data = Float32Array.from({ length: n }, (_v, i) => ((i * 2654435761) % 1_000_003) / 1000); // 0..1000, spread
    const s = volumeStats(data);
    const bin = (s.max - s.min) / 4095;
    expect(s.min).toBe(data.reduce((a, v) => Math.min(a, v), Infinity));
    expect(s.max).toBe(data.reduce((a, v) => Math.max(a, v), -Infinity));
    expect(Math.abs(s.p01 - exactQuantile(data, 0.01))).toBeLessThanOrEqual(2 * bin);
    expect(Math.abs(s.p99 - exactQuantile(data, 0.99))).toBeLessThanOrEqual(2 * bin);
    const mean = data.reduce((a, v) => a + v, 0) / n;
    expect(s.mean).toBeCloseTo(mean, 6);
  });

  it('ignores non-finite voxels and handles constant and empty volumes', () => {
    expect(volumeStats(Float32Array.from([1, Number.NaN, 3, Number.POSITIVE_INFINITY]))).toMatchObject({ min: 1, max: 3, mean: 2 });
    expect(volumeStats(Float32Array.from([5, 5, 5]))).toEqual({ min: 5, max: 5, mean: 5, std: 0, p01: 5, p99: 5 });
    expect(volumeStats(Float32Array.from([Number.NaN]))).toEqual({ min: 0, max: 0, mean: 0, std: 0, p01: 0, p99: 0 });
  });
});
