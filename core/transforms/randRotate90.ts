// MONAI's RandRotate90 (monai.transforms.RandRotate90, 1.3.2): with probability prob, rotate by a
// random number of quarter turns, as in the IXI tutorial's training transform.

import { assert } from '../common/errors.js';
import type { SeededRandom } from '../common/random.js';
import { randomChance } from './randomChance.js';
import { rotate90 } from './rotate90.js';
import { spatialAxes } from './spatialAxes.js';
import { checkTensor, type Tensor } from './tensor.js';

export interface RandRotate90Options {
  /** Probability of rotating. MONAI default 0.1. */
  readonly prob?: number;
  /** k is drawn uniformly from 1..maxK (MONAI: R.randint(max_k) + 1). MONAI default 3. */
  readonly maxK?: number;
  /** The plane, as in rotate90. MONAI default (0, 1). */
  readonly spatialAxes?: readonly [number, number];
}

/**
 * With probability `prob`, rotate90(t, { k, spatialAxes }) with k uniform in 1..maxK; otherwise an
 * unchanged copy. Draws like MONAI: first the coin (rng.next() < prob), then, only when rotating,
 * k = rng.int(0, maxK) + 1. Channel-first [C, ...spatial], C order, at least 2 spatial axes.
 * Same rng state → same result. Throws BAD_ARGUMENT for malformed input (checked before drawing).
 */
export function randRotate90(t: Tensor, rng: SeededRandom, options: RandRotate90Options = {}): Tensor {
  checkTensor('randRotate90', t, 3);
  const maxK = options.maxK ?? 3;
  assert(
    Number.isInteger(maxK) && maxK >= 1,
    () => `randRotate90: maxK must be a positive integer, got ${maxK}`,
  );
  const axes = options.spatialAxes ?? [0, 1];
  assert(
    Array.isArray(axes) && axes.length === 2,
    () => `randRotate90: spatialAxes must be 2 axes defining the plane, got ${String(axes)}`,
  );
  spatialAxes('randRotate90', t.shape.length, axes);
  if (!randomChance('randRotate90', rng, options.prob ?? 0.1))
    return { shape: [...t.shape], data: t.data.slice() };
  return rotate90(t, { k: rng.int(0, maxK) + 1, spatialAxes: axes });
}
