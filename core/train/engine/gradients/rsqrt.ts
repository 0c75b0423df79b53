// Gradient of Rsqrt (tf.rsqrt; BatchNorm's 1 / sqrt(var + eps)): y = x^(-1/2),
// dy/dx = -x^(-3/2) / 2 = -y^3 / 2; reads the saved output.

import * as tf from '@tensorflow/tfjs-core';
import { Rsqrt, type GradConfig, type Tensor } from '@tensorflow/tfjs-core';
import { oneDy } from './gradUtil.js';

export const rsqrtGrad: GradConfig = {
  kernelName: Rsqrt,
  outputsToSave: [true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const [y] = saved as [Tensor];
    return { x: () => tf.mul(oneDy(dy), tf.mul(tf.mul(tf.square(y), y), -0.5)) };
  },
};
