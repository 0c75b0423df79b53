// Gradient of Log (tf.log, natural): y = ln x, dy/dx = 1 / x.

import * as tf from '@tensorflow/tfjs-core';
import { Log, type GradConfig, type Tensor } from '@tensorflow/tfjs-core';
import { oneDy } from './gradUtil.js';

export const logGrad: GradConfig = {
  kernelName: Log,
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const [x] = saved as [Tensor];
    return { x: () => tf.div(oneDy(dy), x) };
  },
};
