// Per-channel scale and shift (+ ReLU) over the last axis, as one pass: a 1x1 depthwise convolution with
// bias and fused ReLU (XNNPACK on the wasm backend). Elementwise ops with a per-channel operand each cost a
// full pass over the tensor there (~20 ms at [2, 24^3, 256]), so BatchNorm's x * a + b, then ReLU, took
// three. Also the per-channel sums BatchNorm needs, as an average pool (the wasm backend's Sum over leading
// axes transposes first: 1.7 s at [2, 24^3, 256], ~1.2 ms as a pool).

import * as tf from '@tensorflow/tfjs-core';
import { FusedDepthwiseConv2D } from '@tensorflow/tfjs-core';

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
 * factor * column sums of m [rows, channels]: [1, channels]. As a [rows x 1] average pool (XNNPACK on wasm;
 * ~1.2 ms at [2 * 24^3, 256], vs 2.3 ms as ones x matrix and 1.7 s as tf.sum over axis 0). On webgpu, as
 * tf.sum: tfjs's webgpu pool walks a window in one invocation per output (here `channels` invocations over
 * `rows` values each, no parallelism), its Sum reduces in parallel; same accuracy (2.5e-7 against cpu on
 * [8192, 8], measured on SwiftShader).
 */
export function channelSum(m: tf.Tensor, factor: number): tf.Tensor {
  const [rows, channels] = m.shape as [number, number];
  if (tf.getBackend() === 'webgpu') {
    const sum = tf.sum(m, 0, true);
    return factor === 1 ? sum : tf.mul(sum, factor);
  }
  const mean = tf.avgPool(tf.reshape(m, [1, rows, 1, channels]) as tf.Tensor4D, [rows, 1], 1, 'valid');
  const scale = factor * rows;
  return tf.reshape(scale === 1 ? mean : tf.mul(mean, scale), [1, channels]);
}
