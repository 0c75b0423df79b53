// Gradient of Exp (tf.exp): y = e^x, dy/dx = y; reads the saved output.

import * as tf from '@tensorflow/tfjs-core';
import { Exp, type GradConfig, type Tensor } from '@tensorflow/tfjs-core';
import { oneDy } from './gradUtil.js';

export const expGrad: GradConfig = {
  kernelName: Exp,
  outputsToSave: [true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const [y] = saved as [Tensor];
    return { x: () => tf.mul(oneDy(dy), y) };
  },
};
