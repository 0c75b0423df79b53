import { describe, expect, it } from 'vitest';
import { predictionEntropy, softmax } from './entropy.js';

describe('predictionEntropy (nats)', () => {
  it.each([
    [[0.5, 0.5], Math.LN2],
    [[1, 0], 0],
    [[0.25, 0.25, 0.25, 0.25], Math.log(4)],
    [[0.9, 0.1], -(0.9 * Math.log(0.9) + 0.1 * Math.log(0.1))],
  ])('%j -> %f', (p, h) => {
    expect(predictionEntropy(p)).toBeCloseTo(h, 12);
  });

  it.each([[[0.5, 0.6]], [[-0.1, 1.1]], [[NaN, 1]], [[]]])('rejects %j with BAD_VALUES', (p) => {
    expect(() => predictionEntropy(p)).toThrow(expect.objectContaining({ code: 'BAD_VALUES' }));
  });

  it('softmax is stable for large logits', () => {
    expect(Array.from(softmax([1000, 1000]))).toEqual([0.5, 0.5]);
    expect(softmax([2, 0])[0]).toBeCloseTo(0.8807970779778823, 12);
  });
});
