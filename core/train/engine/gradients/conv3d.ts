// Gradient of Conv3D (tf.conv3d, NDHWC x [batch, depth, height, width, in], filter [kd, kh, kw, in, out]):
// dx is the transposed convolution of dy with the filter, dfilter the correlation of x with dy. Both run
// as the backend kernels Conv3DBackpropInputV2 / Conv3DBackpropFilterV2, so core/backend's fast wasm
// kernels are used where registered; a 1x1x1 stride-1 dx runs as a forward Conv3D (pointwiseInputGrad).

import * as tf from '@tensorflow/tfjs-core';
import {
  Conv3D,
  Conv3DBackpropFilterV2,
  Conv3DBackpropInputV2,
  type Conv3DAttrs,
  type GradConfig,
  type NamedAttrMap,
  type Tensor,
} from '@tensorflow/tfjs-core';
import { oneDy, perAxis } from './gradUtil.js';

export const conv3dGrad: GradConfig = {
  kernelName: Conv3D,
  inputsToSave: ['x', 'filter'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x, filter] = saved as [Tensor, Tensor];
    const { strides, pad, dilations, dataFormat } = attrs as unknown as Conv3DAttrs;
    if (perAxis(dilations ?? 1, 3).some((d) => d !== 1))
      throw new Error(`Conv3D gradient: dilations must be 1, got ${String(dilations)}`);
    if (dataFormat !== undefined && dataFormat !== 'NDHWC')
      throw new Error(`Conv3D gradient: only NDHWC is supported, got ${dataFormat}`);
    const g = oneDy(dy);
    const pointwise =
      filter.shape.slice(0, 3).every((k) => k === 1) && perAxis(strides, 3).every((s) => s === 1);
    return {
      x: () =>
        pointwise
          ? pointwiseInputGrad(g, filter)
          : tf
              .engine()
              .runKernel(Conv3DBackpropInputV2, { dy: g, filter }, { strides, pad, inputShape: x.shape }),
      filter: () =>
        tf
          .engine()
          .runKernel(Conv3DBackpropFilterV2, { x, dy: g }, { strides, pad, filterShape: filter.shape }),
    };
  },
};

/**
 * dx of a 1x1x1, stride-1 convolution: the forward convolution of dy with the filter's in/out axes swapped
 * ([1, 1, 1, out, in]). tfjs-backend-wasm 4.22's stock Conv3DBackpropInputV2 returns wrong values for 1x1x1
 * filters (our test against the cpu backend: relative error 1.0); the forward Conv3D is right on every
 * backend and as fast as an input-gradient kernel.
 */
function pointwiseInputGrad(dy: Tensor, filter: Tensor): Tensor {
  const [inChannels, outChannels] = [filter.shape[3]!, filter.shape[4]!];
  const swapped = tf.reshape(tf.transpose(tf.reshape(filter, [inChannels, outChannels])), [
    1,
    1,
    1,
    outChannels,
    inChannels,
  ]);
  return tf.conv3d(dy as tf.Tensor5D, swapped as tf.Tensor5D, 1, 'valid');
}
