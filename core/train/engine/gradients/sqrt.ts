// Gradient of Sqrt (tf.sqrt): y = sqrt(x), dy/dx = 1 / (2 sqrt(x)) = 1 / (2y); reads the saved output.

import * as tf from '@tensorflow/tfjs-core';
import { Sqrt, type GradConfig, type Tensor } from '@tensorflow/tfjs-core';
import { oneDy } from './gradUtil.js';

export const sqrtGrad: GradConfig = {
  kernelName: Sqrt,
  outputsToSave: [true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const [y] = saved as [Tensor];
    return { x: () => tf.div(oneDy(dy), tf.mul(y, 2)) };
  },
};
