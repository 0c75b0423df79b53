// Gradient of Softmax (tf.softmax along `dim`): y_i = e^x_i / sum_j e^x_j, so
// dL/dx_i = y_i (dL/dy_i - sum_j dL/dy_j y_j). Reads the saved output.

import * as tf from '@tensorflow/tfjs-core';
import {
  Softmax,
  type GradConfig,
  type NamedAttrMap,
  type SoftmaxAttrs,
  type Tensor,
} from '@tensorflow/tfjs-core';
import { oneDy } from './gradUtil.js';

export const softmaxGrad: GradConfig = {
  kernelName: Softmax,
  outputsToSave: [true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [y] = saved as [Tensor];
    const { dim } = attrs as unknown as SoftmaxAttrs;
    return {
      logits: () => {
        const g = oneDy(dy);
        return tf.mul(y, tf.sub(g, tf.sum(tf.mul(g, y), dim, true)));
      },
    };
  },
};
