// Test helpers: seeded tensors and a scale-relative error, shared by core/model's and core/train's tests.

import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom } from '../../common/random.js';

/** max |a - b| / max(max |a|, floor): the error relative to the tensor's scale. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-6): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = floor;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(a[i]!));
  }
  return diff / scale;
}

/** A seeded float32 tensor of `shape`, uniform in [lo, hi). */
export function seededTensor(shape: number[], seed: number, lo = -1, hi = 1): tf.Tensor {
  const r = new SeededRandom(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => r.uniform(lo, hi)),
    shape,
    'float32',
  );
}
