import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../common/random.js';
import { randRotate90 } from './randRotate90.js';
import { rotate90 } from './rotate90.js';
import { expectVoxlabError, tensorOf } from './testUtils.js';

// A 2x3 plane: each k gives a different array, so the output tells which k was drawn.
const img = tensorOf([
  [
    [1, 2, 3],
    [4, 5, 6],
  ],
]);
const byK = [0, 1, 2, 3].map((k) => [...rotate90(img, { k }).data].join(','));
const kOf = (t: { data: Float32Array }) => byK.indexOf([...t.data].join(','));

describe('randRotate90', () => {
  it('draws k uniformly from 1..maxK when it rotates', () => {
    const rng = new SeededRandom(3);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 900; i++) counts[kOf(randRotate90(img, rng, { prob: 1 }))]!++;
    expect(counts[0]).toBe(0);
    for (const k of [1, 2, 3]) expect(counts[k]).toBeGreaterThan(240);
    const onlyOne = randRotate90(img, new SeededRandom(3), { prob: 1, maxK: 1 });
    expect(kOf(onlyOne)).toBe(1);
  });

  it('rotates about prob of the time (MONAI default 0.1) and copies otherwise', () => {
    const rng = new SeededRandom(11);
    const outs = Array.from({ length: 2000 }, () => randRotate90(img, rng));
    const rotated = outs.filter((t) => kOf(t) !== 0).length / outs.length;
    expect(rotated).toBeGreaterThan(0.07);
    expect(rotated).toBeLessThan(0.13);
    expect(outs.find((t) => kOf(t) === 0)!.data).not.toBe(img.data);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const run = (seed: number) => {
      const rng = new SeededRandom(seed);
      return Array.from({ length: 100 }, () => kOf(randRotate90(img, rng, { prob: 0.5 })));
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });

  it.each<[string, object, RegExp]>([
    ['maxK 0', { maxK: 0 }, /randRotate90: maxK must be a positive integer, got 0/],
    ['one axis', { spatialAxes: [0] }, /spatialAxes must be 2 axes/],
    ['an axis out of range', { spatialAxes: [0, 3] }, /randRotate90.*got 3/],
  ])('rejects %s', (_name, options, pattern) => {
    expectVoxlabError(() => randRotate90(img, new SeededRandom(1), options), 'BAD_ARGUMENT', pattern);
  });
});
