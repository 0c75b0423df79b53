import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../common/random.js';
import { ranks, spearman } from './rankCorrelation.js';

const noise = (n: number, seed: number) => {
  const r = new SeededRandom(seed);
  return Float32Array.from({ length: n }, () => r.normal(0, 1));
};

describe('ranks', () => {
  it('gives tied values the mean of their ranks (scipy rankdata average)', () => {
    expect([...ranks([10, 20, 20, 5, 20])]).toEqual([2, 4, 4, 1, 4]);
  });
});

describe('spearman', () => {
  it.each([
    // scipy.stats.spearmanr([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]) = 0.8207826816681233
    ['known value with ties', [1, 2, 3, 4, 5], [5, 6, 7, 8, 7], false, 0.8207826816681233],
    ['reversed order', [1, 2, 3, 4], [4, 3, 2, 1], false, -1],
    // |a| = [3, 1, 2, 4] and |b| = [3, 1, 2, 4]: the same ranking once the sign is dropped.
    ['a sign flip, absolute', [3, -1, 2, -4], [-3, 1, -2, 4], true, 1],
    ['a sign flip, raw', [3, -1, 2, -4], [-3, 1, -2, 4], false, -1],
    ['a constant map against a varied one', [1, 1, 1], [1, 2, 3], false, 0],
    ['two equal constant maps', [2, 2, 2], [2, 2, 2], false, 1],
  ])('%s', (_, a, b, absolute, expected) => {
    expect(spearman(a, b, absolute)).toBeCloseTo(expected, 10);
  });

  it('is 1 for a map and itself, and for any strictly monotone transform of it', () => {
    const a = noise(5000, 1);
    expect(spearman(a, a)).toBeCloseTo(1, 12);
    // In float64: a float32 transform would round neighbouring values into ties.
    expect(
      spearman(
        a,
        Float64Array.from(a, (v) => Math.exp(3 * v) - 7),
      ),
    ).toBeCloseTo(1, 12);
  });

  it('is near 0 for independent noise (|rho| < 4 / sqrt(n))', () => {
    const n = 20000;
    const rho = spearman(noise(n, 2), noise(n, 3));
    expect(Math.abs(rho)).toBeLessThan(4 / Math.sqrt(n));
  });

  it('refuses maps of different lengths and non-finite values, in words', () => {
    expect(() => spearman([1, 2], [1, 2, 3])).toThrow(/spearman: maps of 2 and 3 values/);
    expect(() => spearman([1, NaN], [1, 2])).toThrow(/NaN or infinite/);
  });
});
