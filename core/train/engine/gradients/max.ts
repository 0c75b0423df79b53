// Gradient of Max (tf.max, a reduction; e.g. the shift of a stable log-softmax): dy flows to the input
// elements equal to the maximum. Ties each receive the full dy, as tfjs's own gradient does (PyTorch's
// amax would split it); ties have measure zero for float activations.

import * as tf from '@tensorflow/tfjs-core';
import { Max, type GradConfig, type MaxAttrs, type NamedAttrMap, type Tensor } from '@tensorflow/tfjs-core';
import { expandReduced, normalizeAxes, oneDy } from './gradUtil.js';

export const maxGrad: GradConfig = {
  kernelName: Max,
  inputsToSave: ['x'],
  outputsToSave: [true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x, y] = saved as [Tensor, Tensor];
    const axes = normalizeAxes((attrs as unknown as MaxAttrs).reductionIndices, x.rank);
    return {
      x: () => {
        const isMax = tf.cast(tf.equal(x, expandReduced(y, x.shape, axes)), 'float32');
        return tf.mul(expandReduced(oneDy(dy), x.shape, axes), isMax);
      },
    };
  },
};
