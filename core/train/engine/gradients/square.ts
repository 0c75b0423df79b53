// Gradient of Square (tf.square; tf.moments squares the deviations with it): z = x^2, dz/dx = 2x.

import * as tf from '@tensorflow/tfjs-core';
import { Square, type GradConfig, type Tensor } from '@tensorflow/tfjs-core';
import { oneDy } from './gradUtil.js';

export const squareGrad: GradConfig = {
  kernelName: Square,
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const [x] = saved as [Tensor];
    return { x: () => tf.mul(oneDy(dy), tf.mul(x, 2)) };
  },
};
