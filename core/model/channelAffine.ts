// Per-channel scale and shift (+ ReLU) over the last axis, as one pass: a 1x1 depthwise convolution with
// bias and fused ReLU (XNNPACK on the wasm backend). Elementwise ops with a per-channel operand each cost a
// full pass over the tensor there (~20 ms at [2, 24^3, 256]), so BatchNorm's x * a + b, then ReLU, took
// three. Also the per-channel sums BatchNorm needs, as an average pool (the wasm backend's Sum over leading
// axes transposes first: 1.7 s at [2, 24^3, 256], ~1.2 ms as a pool).

import * as tf from '@tensorflow/tfjs-core';
import { FusedDepthwiseConv2D } from '@tensorflow/tfjs-core';
import { COLUMN_SUM_KERNEL, columnSumChunk, type ColumnSumAttrs } from '../backend/columnSum.js';

/**
 * y = [relu](x * scale + shift), scale and shift [channels] broadcast over every axis but the last
 * (x NDHWC [batch, depth, height, width, channels], or any rank with channels last). Has no gradient:
 * for use inside custom gradients; see channelAffine for the differentiable op.
 */
export function affineOnce(
  x: tf.Tensor,
  scale: tf.Tensor,
  shift: tf.Tensor | null,
  relu: boolean,
): tf.Tensor {
  const channels = x.shape[x.rank - 1]!;
  const inputs: tf.NamedTensorMap = {
    x: tf.reshape(x, [1, x.size / channels, 1, channels]),
    filter: tf.reshape(scale, [1, 1, channels, 1]),
  };
  if (shift !== null) inputs.bias = tf.reshape(shift, [channels]);
  // The kernel itself, not tf.fused.depthwiseConv2d: under a gradient tape (a segment's recomputed
  // forward) that op unfuses into depthwise, add and relu, three passes again.
  const y = tf.engine().runKernel(FusedDepthwiseConv2D, inputs, {
    strides: [1, 1],
    pad: 'valid',
    dataFormat: 'NHWC',
    dilations: [1, 1],
    activation: relu ? 'relu' : 'linear',
  }) as tf.Tensor;
  return tf.reshape(y, x.shape);
}

/**
 * The differentiable y = [relu](x * scale + shift) (layout as affineOnce), with gradients for x, scale and
 * shift: g = dy (times 1[y > 0] with ReLU), dx = g * scale, dscale = sum(g x), dshift = sum(g).
 */
export function channelAffine(x: tf.Tensor, scale: tf.Tensor, shift: tf.Tensor, relu: boolean): tf.Tensor {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, s, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const out = affineOnce(xIn, s, b, relu);
    save([xIn, out, s]);
    return {
      value: out,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ys, ss] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        const g = relu ? tf.mul(dy, tf.step(ys)) : dy;
        const rows = g.size / ss.size;
        const flat = (t: tf.Tensor) => tf.reshape(t, [rows, ss.size]);
        return [
          affineOnce(g, ss, null, false),
          tf.reshape(channelSum(flat(tf.mul(g, xs)), 1), ss.shape),
          tf.reshape(channelSum(flat(g), 1), ss.shape),
        ];
      },
    };
  });
  return op(x, scale, shift);
}

/**
 * factor * column sums of m [rows, channels]: [1, channels], in two levels (blocks of columnSumChunk(rows)
 * rows, then the block sums; ../backend/columnSum.ts says why). On wasm each level is a [length x 1] average
 * pool (XNNPACK; ~1.2 ms at [2 * 24^3, 256], vs 2.3 ms as ones x matrix and 1.7 s as tf.sum over axis 0),
 * times its length. On webgpu, our COLUMN_SUM_KERNEL (tfjs's Sum there transposes first; its pool walks a
 * whole column in one invocation).
 */
export function channelSum(m: tf.Tensor, factor: number): tf.Tensor {
  const [rows, channels] = m.shape as [number, number];
  const chunk = columnSumChunk(rows);
  if (tf.getBackend() === 'webgpu') {
    const attrs: ColumnSumAttrs = { chunk };
    const sum = tf
      .engine()
      .runKernel(COLUMN_SUM_KERNEL, { x: m }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
    return factor === 1 ? sum : tf.mul(sum, factor);
  }
  const blocks = rows / chunk;
  // Sums of the blocks [1, blocks, 1, channels], then their sum; each mean times its length.
  const blockMeans = tf.avgPool(
    tf.reshape(m, [blocks, chunk, 1, channels]) as tf.Tensor4D,
    [chunk, 1],
    1,
    'valid',
  );
  const blockSums = chunk === 1 ? blockMeans : tf.mul(blockMeans, chunk);
  if (blocks === 1) return tf.reshape(factor === 1 ? blockSums : tf.mul(blockSums, factor), [1, channels]);
  const mean = tf.avgPool(
    tf.reshape(blockSums, [1, blocks, 1, channels]) as tf.Tensor4D,
    [blocks, 1],
    1,
    'valid',
  );
  return tf.reshape(tf.mul(mean, factor * blocks), [1, channels]);
}
