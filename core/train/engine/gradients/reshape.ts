// Gradient of Reshape (tf.reshape; flatten, moments): the values are untouched, so dy is reshaped back to
// the input's shape.

import * as tf from '@tensorflow/tfjs-core';
import { Reshape, type GradConfig, type Tensor } from '@tensorflow/tfjs-core';
import { oneDy } from './gradUtil.js';

export const reshapeGrad: GradConfig = {
  kernelName: Reshape,
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const [x] = saved as [Tensor];
    return { x: () => tf.reshape(oneDy(dy), x.shape) };
  },
};
