// Gradient of Identity (tf.clone and friends): y = x, so dy passes through unchanged (as a new tensor).

import * as tf from '@tensorflow/tfjs-core';
import { Identity, type GradConfig, type Tensor } from '@tensorflow/tfjs-core';
import { oneDy } from './gradUtil.js';

export const identityGrad: GradConfig = {
  kernelName: Identity,
  gradFunc: (dy: Tensor | Tensor[]) => ({ x: () => tf.clone(oneDy(dy)) }),
};
