// Gradient of Sum (tf.sum): y = sum of x over the reduced axes, so each input element gets the dy of the
// output element it was summed into.

import { Sum, type GradConfig, type NamedAttrMap, type SumAttrs, type Tensor } from '@tensorflow/tfjs-core';
import { expandReduced, normalizeAxes, oneDy } from './gradUtil.js';

export const sumGrad: GradConfig = {
  kernelName: Sum,
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x] = saved as [Tensor];
    const axes = normalizeAxes((attrs as unknown as SumAttrs).axis, x.rank);
    return { x: () => expandReduced(oneDy(dy), x.shape, axes) };
  },
};
