import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../common/random.js';
import { flip } from './flip.js';
import { randFlip } from './randFlip.js';
import { expectVoxlabError, tensorOf } from './testUtils.js';

const img = tensorOf([
  [
    [1, 2, 3],
    [4, 5, 6],
  ],
]);
const flipped = (t: { data: Float32Array }) => t.data[0] !== 1;

describe('randFlip', () => {
  it('flips always with prob 1 and never with prob 0, copying otherwise', () => {
    expect(randFlip(img, new SeededRandom(1), { prob: 1, spatialAxis: 1 }).data).toEqual(
      flip(img, { spatialAxis: 1 }).data,
    );
    const kept = randFlip(img, new SeededRandom(1), { prob: 0 });
    expect(kept.data).toEqual(img.data);
    expect(kept.data).not.toBe(img.data);
  });

  it('gives the same sequence for the same seed and different ones for different seeds', () => {
    const run = (seed: number) => {
      const rng = new SeededRandom(seed);
      return Array.from({ length: 200 }, () => flipped(randFlip(img, rng, { prob: 0.5 })));
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('flips about prob of the time (MONAI default 0.1)', () => {
    const rng = new SeededRandom(42);
    const n = 2000;
    const hits = Array.from({ length: n }, () => randFlip(img, rng)).filter(flipped).length;
    expect(hits / n).toBeGreaterThan(0.07);
    expect(hits / n).toBeLessThan(0.13);
  });

  it('checks its arguments on every call, before drawing', () => {
    expectVoxlabError(
      () => randFlip(img, new SeededRandom(1), { prob: 0, spatialAxis: 5 }),
      'BAD_ARGUMENT',
      /randFlip.*got 5/,
    );
    expectVoxlabError(
      () => randFlip(img, new SeededRandom(1), { prob: NaN }),
      'BAD_ARGUMENT',
      /randFlip: prob must be a finite number, got NaN/,
    );
  });
});
