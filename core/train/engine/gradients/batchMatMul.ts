// Gradient of BatchMatMul (tf.matMul; the Linear head, x [batch, in] times weight [in, out]): for
// C = op(A) op(B), dA and dB follow from dC = dy by the matrix chain rule; operands broadcast over batch
// dimensions have their gradient summed back to their shape.

import * as tf from '@tensorflow/tfjs-core';
import {
  BatchMatMul,
  type BatchMatMulAttrs,
  type GradConfig,
  type NamedAttrMap,
  type Tensor,
} from '@tensorflow/tfjs-core';
import { oneDy, reduceToShape } from './gradUtil.js';

export const batchMatMulGrad: GradConfig = {
  kernelName: BatchMatMul,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [a, b] = saved as [Tensor, Tensor];
    const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
    const g = oneDy(dy);
    // With A' = op(A), B' = op(B): dA' = dy B'^T, dB' = A'^T dy; transposing back where op was a transpose.
    const da = (): Tensor =>
      transposeA ? tf.matMul(b, g, transposeB, true) : tf.matMul(g, b, false, !transposeB);
    const db = (): Tensor =>
      transposeB ? tf.matMul(g, a, true, transposeA) : tf.matMul(a, g, !transposeA, false);
    return { a: () => reduceToShape(da(), a.shape), b: () => reduceToShape(db(), b.shape) };
  },
};
