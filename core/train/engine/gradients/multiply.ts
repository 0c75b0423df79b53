// Gradient of Multiply (tf.mul): z = a * b with broadcasting: dz/da = b, dz/db = a; each product is
// summed over the operand's broadcast axes (e.g. a BatchNorm scale [C] against NDHWC activations).

import * as tf from '@tensorflow/tfjs-core';
import { Multiply, type GradConfig, type Tensor } from '@tensorflow/tfjs-core';
import { oneDy, reduceToShape } from './gradUtil.js';

export const multiplyGrad: GradConfig = {
  kernelName: Multiply,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const [a, b] = saved as [Tensor, Tensor];
    const g = oneDy(dy);
    return {
      a: () => reduceToShape(tf.mul(g, b), a.shape),
      b: () => reduceToShape(tf.mul(g, a), b.shape),
    };
  },
};
