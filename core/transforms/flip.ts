// MONAI's Flip (monai.transforms.Flip, 1.3.2): reverse a channel-first tensor along spatial axes,
// like torch.flip / numpy.flip.

import { permuteFlip } from './permuteFlip.js';
import { spatialAxes } from './spatialAxes.js';
import { checkTensor, type Tensor } from './tensor.js';

export interface FlipOptions {
  /**
   * Spatial axes to reverse (0 = the first axis after the channel; negative counts from the last).
   * MONAI's default None: every spatial axis.
   */
  readonly spatialAxis?: number | readonly number[] | null;
}

/**
 * Reverses a channel-first tensor [C, ...spatial] (C order) along the given spatial axes; returns a new
 * tensor of the same shape. Throws BAD_ARGUMENT for a tensor without spatial axes or a bad axis.
 */
export function flip(t: Tensor, options: FlipOptions = {}): Tensor {
  checkTensor('flip', t, 2);
  const rank = t.shape.length;
  const axes = spatialAxes('flip', rank, options.spatialAxis ?? null);
  const flips = Array.from({ length: rank }, (_, d) => axes.includes(d));
  return permuteFlip(
    t,
    Array.from({ length: rank }, (_, d) => d),
    flips,
  );
}
