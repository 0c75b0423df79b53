import { describe, expect, it } from 'vitest';
import { linearClassifier } from '../explain/testing/analyticClassifiers.js';
import { defaultAugmentations, scoreViews, ttaDisagreement } from './ttaDisagreement.js';

const SHAPE = [1, 4, 4, 4] as const;

/** One-hot volume: 1 at voxel (i, j, k) of a 4^3 single-channel input. */
function point(i: number, j: number, k: number): Float32Array {
  const x = new Float32Array(64);
  x[(i * 4 + j) * 4 + k] = 1;
  return x;
}

describe('defaultAugmentations', () => {
  it('has the identity, 3 flips and 3 axial rot90s for a square plane', () => {
    expect(defaultAugmentations(SHAPE).map((a) => a.name)).toEqual([
      'identity',
      'flip0',
      'flip1',
      'flip2',
      'rot90_1',
      'rot90_2',
      'rot90_3',
    ]);
  });

  it('leaves out quarter turns that would change a non-square plane', () => {
    expect(defaultAugmentations([1, 4, 6, 8]).map((a) => a.name)).toEqual([
      'identity',
      'flip0',
      'flip1',
      'flip2',
      'rot90_2',
    ]);
  });

  it('moves the corner voxel (0, 0, 0) where numpy would', () => {
    const views = defaultAugmentations(SHAPE).map((a) =>
      a.apply({ shape: SHAPE, data: point(0, 0, 0) }).data.indexOf(1),
    );
    const at = (i: number, j: number, k: number) => (i * 4 + j) * 4 + k;
    expect(views).toEqual([
      at(0, 0, 0),
      at(3, 0, 0),
      at(0, 3, 0),
      at(0, 0, 3),
      at(3, 0, 0),
      at(3, 3, 0),
      at(0, 3, 0),
    ]);
  });
});

describe('ttaDisagreement', () => {
  it('is 0 for a classifier that cannot see orientation (a sum of voxels)', async () => {
    const classifier = linearClassifier(SHAPE, [new Float32Array(64).fill(1), new Float32Array(64)]);
    const result = await ttaDisagreement(classifier, point(0, 1, 2));
    expect(result.score).toBeLessThan(1e-15);
    expect(result.agreement).toBe(1);
    expect(classifier.calls).toEqual([7]);
  });

  it('equals the variance across views by hand for a classifier that looks at one corner', async () => {
    const w = new Float32Array(64);
    w[0] = 10;
    const classifier = linearClassifier(SHAPE, [w, new Float32Array(64)]);
    const result = await ttaDisagreement(classifier, point(0, 0, 0));
    // The identity sees logits [10, 0]; every other view moves the voxel away: [0, 0].
    const s = 1 / (1 + Math.exp(-10));
    const p0 = [s, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5];
    const mean = p0.reduce((a, b) => a + b) / 7;
    const variance = p0.reduce((a, v) => a + (v - mean) ** 2, 0) / 7;
    expect(result.score).toBeCloseTo(variance, 10);
    expect(result.probabilities[0]).toBeCloseTo(mean, 10);
  });

  it('scoreViews: agreement is the share of the most common argmax', () => {
    const r = scoreViews([
      [0.9, 0.1],
      [0.2, 0.8],
      [0.7, 0.3],
      [0.6, 0.4],
    ]);
    expect(r.agreement).toBe(0.75);
    expect(r.probabilities[0]).toBeCloseTo(0.6, 12);
    // Var of p0 = mean of (0.3, -0.4, 0.1, 0)^2 = 0.065; p1 has the same; mean over classes 0.065.
    expect(r.score).toBeCloseTo(0.065, 12);
  });

  it('rejects an input of the wrong length', async () => {
    const classifier = linearClassifier(SHAPE, [new Float32Array(64)]);
    await expect(ttaDisagreement(classifier, new Float32Array(3))).rejects.toMatchObject({
      code: 'SHAPE_MISMATCH',
    });
  });
});
