// Our gradient registrations for every kernel DenseNet training differentiates through. tfjs-core 4.22's
// Node bundle registers no gradients, and its register_all_gradients.js (ESM, extension-less imports)
// cannot be loaded by Node, so training in plain Node needs these. Kernel list found by recording the
// kernels of a tiny DenseNet's training forward + loss (core/model, tf.moments-based BatchNorm).

import { getGradient, registerGradient, type GradConfig } from '@tensorflow/tfjs-core';
import { addGrad } from './add.js';
import { avgPool3dGrad } from './avgPool3d.js';
import { batchMatMulGrad } from './batchMatMul.js';
import { castGrad } from './cast.js';
import { concatGrad } from './concat.js';
import { conv3dGrad } from './conv3d.js';
import { expGrad } from './exp.js';
import { identityGrad } from './identity.js';
import { logGrad } from './log.js';
import { maxGrad } from './max.js';
import { maxPool3dGrad } from './maxPool3d.js';
import { meanGrad } from './mean.js';
import { multiplyGrad } from './multiply.js';
import { negGrad } from './neg.js';
import { padV2Grad } from './padV2.js';
import { realDivGrad } from './realDiv.js';
import { reluGrad } from './relu.js';
import { reshapeGrad } from './reshape.js';
import { rsqrtGrad } from './rsqrt.js';
import { sliceGrad } from './slice.js';
import { softmaxGrad } from './softmax.js';
import { sqrtGrad } from './sqrt.js';
import { squareGrad } from './square.js';
import { squaredDifferenceGrad } from './squaredDifference.js';
import { subGrad } from './sub.js';
import { sumGrad } from './sum.js';
import { transposeGrad } from './transpose.js';

/**
 * One gradient per kernel: the DenseNet path (Conv3D, PadV2, MaxPool3D, AvgPool3D, Concat, Relu, the
 * BatchNorm arithmetic Mean/Cast/Reshape/Sub/Square/Add/Rsqrt/Multiply, BatchMatMul) plus the elementwise
 * and reduction kernels a loss or a model variant commonly adds.
 */
export const TRAINING_GRADIENTS: readonly GradConfig[] = [
  addGrad,
  avgPool3dGrad,
  batchMatMulGrad,
  castGrad,
  concatGrad,
  conv3dGrad,
  expGrad,
  identityGrad,
  logGrad,
  maxGrad,
  maxPool3dGrad,
  meanGrad,
  multiplyGrad,
  negGrad,
  padV2Grad,
  realDivGrad,
  reluGrad,
  reshapeGrad,
  rsqrtGrad,
  sliceGrad,
  softmaxGrad,
  sqrtGrad,
  squareGrad,
  squaredDifferenceGrad,
  subGrad,
  sumGrad,
  transposeGrad,
];

/**
 * Registers our gradients for the kernels that have none yet; idempotent. A gradient already registered
 * (tfjs's own, loaded by a test through register_all_gradients.js) is left in place.
 */
export function registerTrainingGradients(): void {
  for (const config of TRAINING_GRADIENTS) {
    if (getGradient(config.kernelName) == null) registerGradient(config);
  }
}
