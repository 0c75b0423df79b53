// Gradient of Cast (tf.cast; tf.moments casts its input to float32): the identity on the values, so dy
// passes through (a float32 gradient, as the tape requires).

import * as tf from '@tensorflow/tfjs-core';
import { Cast, type GradConfig, type Tensor } from '@tensorflow/tfjs-core';
import { oneDy } from './gradUtil.js';

export const castGrad: GradConfig = {
  kernelName: Cast,
  gradFunc: (dy: Tensor | Tensor[]) => ({ x: () => tf.clone(oneDy(dy)) }),
};
