// Gradient of Relu (tf.relu): y = max(x, 0), dy/dx = 1 where x > 0, else 0 (0 at x = 0, as PyTorch).
// Reads the saved OUTPUT (y > 0 exactly where x > 0): the next conv saves y anyway, so BatchNorm's output
// before the ReLU need not stay alive on the tape.

import * as tf from '@tensorflow/tfjs-core';
import { Relu, type GradConfig, type Tensor } from '@tensorflow/tfjs-core';
import { oneDy } from './gradUtil.js';

export const reluGrad: GradConfig = {
  kernelName: Relu,
  outputsToSave: [true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const [y] = saved as [Tensor];
    return { x: () => tf.mul(oneDy(dy), tf.step(y)) };
  },
};
