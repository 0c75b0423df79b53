// Gradient of Neg (tf.neg): z = -x, dz/dx = -1.

import * as tf from '@tensorflow/tfjs-core';
import { Neg, type GradConfig, type Tensor } from '@tensorflow/tfjs-core';
import { oneDy } from './gradUtil.js';

export const negGrad: GradConfig = {
  kernelName: Neg,
  gradFunc: (dy: Tensor | Tensor[]) => ({ x: () => tf.neg(oneDy(dy)) }),
};
