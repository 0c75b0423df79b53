// Gradient of Sub (tf.sub): z = a - b with broadcasting: dz/da = 1, dz/db = -1, each summed over the
// operand's broadcast axes.

import * as tf from '@tensorflow/tfjs-core';
import { Sub, type GradConfig, type Tensor } from '@tensorflow/tfjs-core';
import { oneDy, reduceToShape } from './gradUtil.js';

export const subGrad: GradConfig = {
  kernelName: Sub,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const [a, b] = saved as [Tensor, Tensor];
    const g = oneDy(dy);
    return { a: () => reduceToShape(g, a.shape), b: () => tf.neg(reduceToShape(g, b.shape)) };
  },
};
