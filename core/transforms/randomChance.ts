// MONAI's RandomizableTransform coin: "apply with probability prob", drawn from a seeded generator.

import { assert } from '../common/errors.js';
import type { SeededRandom } from '../common/random.js';

/**
 * True with probability `prob`: one draw rng.next() < prob, as MONAI's R.rand() < prob. prob is clamped
 * to [0, 1] as MONAI does. Throws BAD_ARGUMENT naming `fn` for a non-finite prob.
 */
export function randomChance(fn: string, rng: SeededRandom, prob: number): boolean {
  assert(Number.isFinite(prob), () => `${fn}: prob must be a finite number, got ${prob}`);
  return rng.next() < Math.min(Math.max(prob, 0), 1);
}
