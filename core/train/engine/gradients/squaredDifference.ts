// Gradient of SquaredDifference (tf.squaredDifference): z = (a - b)^2 with broadcasting:
// dz/da = 2 (a - b), dz/db = -2 (a - b), summed over each operand's broadcast axes.

import * as tf from '@tensorflow/tfjs-core';
import { SquaredDifference, type GradConfig, type Tensor } from '@tensorflow/tfjs-core';
import { oneDy, reduceToShape } from './gradUtil.js';

export const squaredDifferenceGrad: GradConfig = {
  kernelName: SquaredDifference,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const [a, b] = saved as [Tensor, Tensor];
    const g = oneDy(dy);
    const twiceDiffTimesDy = () => tf.mul(g, tf.mul(tf.sub(a, b), 2));
    return {
      a: () => reduceToShape(twiceDiffTimesDy(), a.shape),
      b: () => tf.neg(reduceToShape(twiceDiffTimesDy(), b.shape)),
    };
  },
};
