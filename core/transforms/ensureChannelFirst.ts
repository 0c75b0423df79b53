// MONAI's EnsureChannelFirst (monai.transforms.EnsureChannelFirst, 1.3.2): give an array a leading
// channel axis, adding one ('no_channel') or moving an existing one to the front.

import { assert } from '../common/errors.js';
import { permuteFlip } from './permuteFlip.js';
import { checkTensor, type Tensor } from './tensor.js';

export interface EnsureChannelFirstOptions {
  /**
   * Where the input's channel axis is: 'no_channel' (add a size-1 axis in front, what the IXI pipeline
   * needs for a 3D volume) or an axis number (negative counts from the end). MONAI's default None reads
   * this from the image's metadata; tensors here carry none, so the default is 'no_channel'.
   */
  readonly channelDim?: 'no_channel' | number;
}

/**
 * [D, H, W] → [1, D, H, W] ('no_channel'), or moves axis channelDim to the front like numpy.moveaxis
 * (e.g. [D, H, W, C] with channelDim -1 → [C, D, H, W]). C order in and out; returns a new tensor.
 * Throws BAD_ARGUMENT for a malformed tensor or a channelDim outside the tensor's axes.
 */
export function ensureChannelFirst(t: Tensor, options: EnsureChannelFirstOptions = {}): Tensor {
  checkTensor('ensureChannelFirst', t, 1);
  const channelDim = options.channelDim ?? 'no_channel';
  if (channelDim === 'no_channel') return { shape: [1, ...t.shape], data: t.data.slice() };
  const rank = t.shape.length;
  assert(
    Number.isInteger(channelDim) && channelDim >= -rank && channelDim < rank,
    () =>
      `ensureChannelFirst: channelDim must be 'no_channel' or an integer in [${-rank}, ${rank - 1}], got ${String(channelDim)}`,
  );
  const c = channelDim < 0 ? rank + channelDim : channelDim;
  const perm = [c, ...t.shape.map((_, d) => d).filter((d) => d !== c)];
  return permuteFlip(
    t,
    perm,
    perm.map(() => false),
  );
}
