import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../common/random.js';
import { ssim, unitScaled } from './ssim.js';

const SHAPE: [number, number, number] = [12, 10, 14];
const N = SHAPE[0] * SHAPE[1] * SHAPE[2];
const noise = (seed: number) => {
  const r = new SeededRandom(seed);
  return Float32Array.from({ length: N }, () => r.uniform(0, 1));
};

/** A smooth blob centred at `c` ([d, h, w] voxels), C order over SHAPE. */
function blob(c: [number, number, number]): Float32Array {
  const out = new Float32Array(N);
  for (let d = 0; d < SHAPE[0]; d++)
    for (let h = 0; h < SHAPE[1]; h++)
      for (let w = 0; w < SHAPE[2]; w++)
        out[(d * SHAPE[1] + h) * SHAPE[2] + w] = Math.exp(
          -((d - c[0]) ** 2 + (h - c[1]) ** 2 + (w - c[2]) ** 2) / 8,
        );
  return out;
}

describe('ssim (3-D, uniform 7^3 window)', () => {
  it('is 1 for identical maps, and for a map and a positive affine rescaling of it ([0, 1] scaling first)', () => {
    const a = blob([5, 5, 6]);
    expect(ssim(a, a, SHAPE)).toBeCloseTo(1, 10);
    expect(
      ssim(
        a,
        a.map((v) => 40 * v - 3),
        SHAPE,
      ),
    ).toBeCloseTo(1, 6);
  });

  it('is near 0 for independent noise', () => {
    expect(Math.abs(ssim(noise(1), noise(2), SHAPE))).toBeLessThan(0.1);
  });

  it('is lower for a blob moved away than for the same blob', () => {
    const a = blob([5, 5, 6]);
    const moved = ssim(a, blob([5, 5, 10]), SHAPE);
    expect(moved).toBeLessThan(0.8);
    expect(moved).toBeGreaterThan(ssim(a, noise(3), SHAPE));
  });

  it('matches the formula on one window that covers the whole map (known value)', () => {
    // Shape [1, 1, 4], window clipped to the map: one window. x = [0, 1/3, 2/3, 1], y = [0, 1, 0, 1] after
    // scaling; means 0.5, 0.5; unbiased variances 5/27 and 1/3; covariance 1/9.
    const x = [0, 1, 2, 3];
    const y = [0, 1, 0, 1];
    const [c1, c2] = [1e-4, 9e-4];
    const expected = ((2 * 0.25 + c1) * (2 / 9 + c2)) / ((0.5 + c1) * (5 / 27 + 1 / 3 + c2));
    expect(ssim(x, y, [1, 1, 4])).toBeCloseTo(expected, 12);
  });

  it('scales a constant map to 0 and refuses a wrong length', () => {
    expect([...unitScaled([3, 3])]).toEqual([0, 0]);
    expect(() => ssim([1, 2], [1, 2], [1, 1, 3])).toThrow(/ssim: maps of 2 and 2 values/);
  });
});
