// Gradient of MaxPool3D (tf.maxPool3d, NDHWC; DenseNet's stem pooling): each output's dy goes to the input
// voxel that won its window. Runs the backend kernel MaxPool3DGrad on the saved input and output.

import * as tf from '@tensorflow/tfjs-core';
import {
  MaxPool3D,
  MaxPool3DGrad,
  type GradConfig,
  type NamedAttrMap,
  type Tensor,
} from '@tensorflow/tfjs-core';
import { oneDy, poolAttrs } from './gradUtil.js';

export const maxPool3dGrad: GradConfig = {
  kernelName: MaxPool3D,
  inputsToSave: ['x'],
  outputsToSave: [true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x, y] = saved as [Tensor, Tensor];
    const inputs = { dy: oneDy(dy), input: x, output: y };
    return {
      x: () => tf.engine().runKernel(MaxPool3DGrad, inputs, poolAttrs(attrs)),
    };
  },
};
