// Gradient of Add (tf.add): z = a + b with broadcasting, so dz/da = dz/db = 1 and each operand's
// gradient is dy summed over the axes it was broadcast along.

import { Add, type GradConfig, type Tensor } from '@tensorflow/tfjs-core';
import { oneDy, reduceToShape } from './gradUtil.js';

export const addGrad: GradConfig = {
  kernelName: Add,
  // Only the shapes are needed, but the tape hands a gradient nothing else: save the inputs.
  inputsToSave: ['a', 'b'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const [a, b] = saved as [Tensor, Tensor];
    const g = oneDy(dy);
    return { a: () => reduceToShape(g, a.shape), b: () => reduceToShape(g, b.shape) };
  },
};
