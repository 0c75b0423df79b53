// Gradient of Transpose (tf.transpose; flatten's NDHWC -> NCDHW order): y[i] = x[perm(i)], so dy is
// transposed by the inverse permutation.

import * as tf from '@tensorflow/tfjs-core';
import {
  Transpose,
  type GradConfig,
  type NamedAttrMap,
  type Tensor,
  type TransposeAttrs,
} from '@tensorflow/tfjs-core';
import { oneDy } from './gradUtil.js';

export const transposeGrad: GradConfig = {
  kernelName: Transpose,
  gradFunc: (dy: Tensor | Tensor[], _saved: Tensor[], attrs: NamedAttrMap) => {
    const { perm } = attrs as unknown as TransposeAttrs;
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    return { x: () => tf.transpose(oneDy(dy), inverse) };
  },
};
