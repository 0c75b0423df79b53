// MONAI's RandFlip (monai.transforms.RandFlip, 1.3.2): with probability prob, flip along spatial axes.

import type { SeededRandom } from '../common/random.js';
import { flip } from './flip.js';
import { randomChance } from './randomChance.js';
import { spatialAxes } from './spatialAxes.js';
import { checkTensor, type Tensor } from './tensor.js';

export interface RandFlipOptions {
  /** Probability of flipping. MONAI default 0.1. */
  readonly prob?: number;
  /** Spatial axes to reverse, as in flip. MONAI default None: every spatial axis. */
  readonly spatialAxis?: number | readonly number[] | null;
}

/**
 * With probability `prob` (one rng draw), flip(t, { spatialAxis }); otherwise an unchanged copy.
 * Channel-first [C, ...spatial], C order. Same rng state → same result.
 * Throws BAD_ARGUMENT for a malformed tensor, prob or axis (checked before drawing).
 */
export function randFlip(t: Tensor, rng: SeededRandom, options: RandFlipOptions = {}): Tensor {
  checkTensor('randFlip', t, 2);
  const spatialAxis = options.spatialAxis ?? null;
  spatialAxes('randFlip', t.shape.length, spatialAxis); // bad axes fail on every call, not one in ten
  if (!randomChance('randFlip', rng, options.prob ?? 0.1))
    return { shape: [...t.shape], data: t.data.slice() };
  return flip(t, { spatialAxis });
}
