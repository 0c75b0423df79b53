// Gradient of RealDiv (tf.div on floats): z = a / b with broadcasting: dz/da = 1 / b,
// dz/db = -a / b^2, each summed over the operand's broadcast axes.

import * as tf from '@tensorflow/tfjs-core';
import { RealDiv, type GradConfig, type Tensor } from '@tensorflow/tfjs-core';
import { oneDy, reduceToShape } from './gradUtil.js';

export const realDivGrad: GradConfig = {
  kernelName: RealDiv,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const [a, b] = saved as [Tensor, Tensor];
    const g = oneDy(dy);
    return {
      a: () => reduceToShape(tf.div(g, b), a.shape),
      b: () => reduceToShape(tf.neg(tf.div(tf.mul(g, a), tf.square(b))), b.shape),
    };
  },
};
