// Test classifiers whose logits are simple functions of the voxels, so expected explanation maps can be
// computed by hand: logits = weighted sums of voxels (plus a bias), or fixed logits.

import { VoxlabError } from '../../common/errors.js';
import type { Classifier } from '../../infer/classifier.js';

/**
 * logits[k] = bias[k] + sum_v weights[k][v] * x[v] over one sample of `inputShape` ([c, d, h, w], C order).
 * Counts calls and samples, so tests can check batching.
 */
export function linearClassifier(
  inputShape: readonly [number, number, number, number],
  weights: readonly Float32Array[],
  bias: readonly number[] = weights.map(() => 0),
): Classifier & { calls: number[] } {
  const sample = inputShape.reduce((a, b) => a * b, 1);
  for (const w of weights) if (w.length !== sample) throw new Error('linearClassifier: weight length');
  const calls: number[] = [];
  return {
    inputShape,
    classes: weights.map((_, k) => `class${k}`),
    engine: 'analytic',
    calls,
    predict(batch, n) {
      if (batch.length !== n * sample)
        return Promise.reject(new VoxlabError('BAD_VALUES', 'linearClassifier: batch length'));
      calls.push(n);
      const out = new Float32Array(n * weights.length);
      for (let b = 0; b < n; b++)
        weights.forEach((w, k) => {
          let s = bias[k]!;
          for (let v = 0; v < sample; v++) s += w[v]! * batch[b * sample + v]!;
          out[b * weights.length + k] = s;
        });
      return Promise.resolve(out);
    },
    dispose: () => Promise.resolve(),
  };
}

/** A classifier whose logits ignore the input: `logits` for every sample. */
export function constantClassifier(
  inputShape: readonly [number, number, number, number],
  logits: readonly number[],
): Classifier {
  return {
    inputShape,
    classes: logits.map((_, k) => `class${k}`),
    engine: 'constant',
    predict: (_batch, n) =>
      Promise.resolve(Float32Array.from({ length: n * logits.length }, (_, i) => logits[i % logits.length]!)),
    dispose: () => Promise.resolve(),
  };
}
