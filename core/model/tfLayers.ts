// TensorFlow.js implementations of the description's ops, with PyTorch's semantics (explicit padding,
// BatchNorm eps/momentum, flatten order). Activations are NDHWC: [batch, depth, height, width, channels].

import * as tf from '@tensorflow/tfjs-core';
import { VoxlabError } from '../common/errors.js';
import { batchNormReluTraining } from './batchNormRelu.js';
import { channelAffine } from './channelAffine.js';
import type { ModelNode } from './graph.js';

/** How to run a forward pass. */
export interface ForwardOptions {
  /** true: BatchNorm normalises with the batch's statistics and dropout is active (PyTorch's train()). */
  readonly training: boolean;
  /**
   * In training, fold each BatchNorm's batch statistics into its running stats and count the batch, as
   * PyTorch does in train() mode. Default true. Pass false when recomputing a segment's forward for its
   * gradient, so one step updates the running stats once.
   */
  readonly updateStats?: boolean;
  /** Seed of the dropout masks: the same seed gives the same masks (needed to recompute a segment). */
  readonly dropoutSeed?: number;
}

/** Where nodes read and update their state (values in tfjs layout; see layout.ts). */
export interface NodeState {
  variable(key: string): tf.Variable;
  /** num_batches_tracked += 1 for the BatchNorm module `module`. */
  countBatch(module: string): void;
}

/** Runs one node on its inputs (NDHWC volumes or [batch, features] vectors); call inside tf.tidy. */
export function runNode(
  node: ModelNode,
  inputs: tf.Tensor[],
  state: NodeState,
  options: ForwardOptions,
): tf.Tensor {
  const x = inputs[0]!;
  switch (node.op) {
    case 'conv':
      return conv(
        x as tf.Tensor5D,
        state.variable(`${node.name}.weight`) as tf.Tensor5D,
        node.stride,
        node.padding,
      );
    case 'batchNorm':
      return batchNorm(node, x as tf.Tensor5D, state, options);
    case 'relu':
      return tf.relu(x);
    case 'maxPool':
      // tfjs pads pools implicitly, padded voxels never win (PyTorch's -infinity), and 'floor' sizes the
      // output as PyTorch's ceil_mode=False: no padded copy of the input.
      return tf.maxPool3d(x as tf.Tensor5D, node.kernel, node.stride, node.padding, 'floor');
    case 'avgPool':
      return tf.avgPool3d(x as tf.Tensor5D, node.kernel, node.stride, 'valid');
    case 'dropout':
      return options.training && node.p > 0
        ? tf.dropout(x, node.p, undefined, dropoutSeed(node.name, options.dropoutSeed))
        : x;
    case 'concat':
      return tf.concat(inputs, 4);
    case 'globalAvgPool':
      return tf.mean(x, [1, 2, 3], true);
    case 'flatten':
      return flatten(x);
    case 'linear':
      return tf.add(
        tf.matMul(x as tf.Tensor2D, state.variable(`${node.name}.weight`) as tf.Tensor2D),
        state.variable(`${node.name}.bias`),
      );
  }
}

/**
 * PyTorch's Conv3d (cubic kernel, bias-free) on NDHWC `x` with a [kd, kh, kw, in, out] kernel. tfjs 'same'
 * padding places stride-2 windows differently from PyTorch, so padding is explicit (zeros) with 'valid',
 * except where 'same' is provably identical (stride 1 and 2 * padding = kernel - 1), which skips a copy.
 */
export function conv(x: tf.Tensor5D, weight: tf.Tensor5D, stride: number, padding: number): tf.Tensor5D {
  const kernel = weight.shape[0];
  if (stride === 1 && 2 * padding === kernel - 1) return tf.conv3d(x, weight, 1, 'same');
  return tf.conv3d(padSpatial(x, padding, 0), weight, stride, 'valid');
}

/** Pads depth, height and width of NDHWC `x` by `padding` voxels on both sides with `value`. */
export function padSpatial(x: tf.Tensor5D, padding: number, value: number): tf.Tensor5D {
  if (padding === 0) return x;
  const p: [number, number] = [padding, padding];
  return tf.pad(x, [[0, 0], p, p, p, [0, 0]], value);
}

/**
 * BatchNorm3d over the channel (last) axis of NDHWC `x` [batch, depth, height, width, channels], then ReLU
 * when `relu` (a fused norm -> relu pair; see fusibleBatchNorms). Eval: y = x * a + b with
 * a = weight / sqrt(running_var + eps), b = bias - running_mean * a, as PyTorch computes it, in one pass
 * with the ReLU (channelAffine). Training: batchNormReluTraining (the batch's biased variance, one op with
 * its own gradient) and, unless options.updateStats is false, PyTorch's running-stat update with the
 * unbiased variance (momentum 0.1, num_batches_tracked += 1).
 */
export function batchNorm(
  node: ModelNode & { op: 'batchNorm' },
  x: tf.Tensor5D,
  state: NodeState,
  options: ForwardOptions,
  relu = false,
): tf.Tensor {
  const weight = state.variable(`${node.name}.weight`);
  const bias = state.variable(`${node.name}.bias`);
  if (options.training) {
    const result = batchNormReluTraining(x, weight, bias, node.eps, relu);
    if (options.updateStats ?? true)
      updateRunningStats(node, result.mean, result.variance, x.size / x.shape[4], state);
    tf.dispose([result.mean, result.variance]);
    return result.y;
  }
  const mean = state.variable(`${node.name}.running_mean`);
  const variance = state.variable(`${node.name}.running_var`);
  const scale = tf.mul(weight, tf.rsqrt(tf.add(variance, node.eps)));
  const shift = tf.sub(bias, tf.mul(mean, scale));
  return channelAffine(x, scale, shift, relu);
}

/**
 * PyTorch's running-stat update with momentum m (0.1): running = (1 - m) running + m batch, where the
 * variance is the unbiased batch variance (n / (n - 1) times the biased one, n values per channel).
 */
export function updateRunningStats(
  node: ModelNode & { op: 'batchNorm' },
  batchMean: tf.Tensor,
  batchVariance: tf.Tensor,
  valuesPerChannel: number,
  state: NodeState,
): void {
  if (valuesPerChannel < 2) {
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `${node.name}: BatchNorm training needs more than 1 value per channel, got ${valuesPerChannel}`,
    );
  }
  const m = node.momentum;
  const n = valuesPerChannel;
  tf.tidy(() => {
    const runningMean = state.variable(`${node.name}.running_mean`);
    const runningVar = state.variable(`${node.name}.running_var`);
    runningMean.assign(tf.add(tf.mul(runningMean, 1 - m), tf.mul(batchMean, m)));
    runningVar.assign(tf.add(tf.mul(runningVar, 1 - m), tf.mul(batchVariance, (m * n) / (n - 1))));
  });
  state.countBatch(node.name);
}

/** torch.flatten(x, 1) of NCDHW data, from NDHWC `x`: channels vary slowest, as in PyTorch. */
function flatten(x: tf.Tensor): tf.Tensor2D {
  const batch = x.shape[0]!;
  if (x.rank !== 5 || x.shape.slice(1, 4).every((n) => n === 1)) return tf.reshape(x, [batch, -1]);
  return tf.reshape(tf.transpose(x, [0, 4, 1, 2, 3]), [batch, -1]);
}

/** A per-node dropout seed: `seed` mixed with an FNV-1a hash of the node's name. */
function dropoutSeed(name: string, seed: number | undefined): number | undefined {
  if (seed === undefined) return undefined;
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return (h ^ (seed >>> 0)) >>> 0;
}
