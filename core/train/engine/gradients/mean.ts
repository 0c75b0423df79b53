// Gradient of Mean (tf.mean; BatchNorm's batch statistics, the global average pool): y = sum(x) / n over
// the reduced axes, so each input element gets dy / n of the output element it was averaged into.

import * as tf from '@tensorflow/tfjs-core';
import { Mean, type GradConfig, type MeanAttrs, type NamedAttrMap, type Tensor } from '@tensorflow/tfjs-core';
import { expandReduced, normalizeAxes, oneDy } from './gradUtil.js';

export const meanGrad: GradConfig = {
  kernelName: Mean,
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x] = saved as [Tensor];
    const axes = normalizeAxes((attrs as unknown as MeanAttrs).axis, x.rank);
    const n = axes.reduce((count, a) => count * x.shape[a]!, 1);
    return { x: () => expandReduced(tf.div(oneDy(dy), n), x.shape, axes) };
  },
};
