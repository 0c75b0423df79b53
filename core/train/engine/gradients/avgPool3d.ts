// Gradient of AvgPool3D (tf.avgPool3d, NDHWC; DenseNet's transition pooling): each output's dy is spread
// evenly over its window. Runs the backend kernel AvgPool3DGrad.

import * as tf from '@tensorflow/tfjs-core';
import {
  AvgPool3D,
  AvgPool3DGrad,
  type GradConfig,
  type NamedAttrMap,
  type Tensor,
} from '@tensorflow/tfjs-core';
import { oneDy, poolAttrs } from './gradUtil.js';

export const avgPool3dGrad: GradConfig = {
  kernelName: AvgPool3D,
  // Saved for its shape: windows that do not tile the input exactly leave voxels without gradient.
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x] = saved as [Tensor];
    return {
      x: () => tf.engine().runKernel(AvgPool3DGrad, { dy: oneDy(dy), input: x }, poolAttrs(attrs)),
    };
  },
};
