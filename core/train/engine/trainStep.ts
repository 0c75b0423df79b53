// One optimizer step and one evaluation batch on a TfModel: the two calls core/train's loop makes.

import * as tf from '@tensorflow/tfjs-core';
import { VoxlabError } from '../../common/errors.js';
import type { TfModel } from '../../model/index.js';
import type { Adam } from './adam.js';
import { disposeStepGradients, segmentwiseGradients, wholeModelGradients, type StepGradients } from './backprop.js';
import { crossEntropyLoss } from './crossEntropy.js';
import { gpuStepError, openGpuStepGuard } from './gpuStepGuard.js';
import { registerTrainingGradients } from './gradients/index.js';

export interface TrainStepOptions {
  /** Updates the model's trainable variables; build it from namedParameters(model). */
  readonly optimizer: Adam;
  /** Backpropagate segment by segment (bounded memory, one extra forward). Default true. */
  readonly segmentwise?: boolean;
  /**
   * Segment-wise only: MiB of activations pass 1 may keep on gradient tapes so those segments skip the
   * recompute (same results; see segmentwiseGradients). Default DEFAULT_MEMORY_BUDGET_MB; 0 recomputes all.
   */
  readonly memoryBudgetMb?: number;
  /** Seed of the dropout masks (mixed with the optimizer's step count); default 0. Unused without dropout. */
  readonly seed?: number;
}

/**
 * Default memoryBudgetMb of a segment-wise step: the recorded tapes on top of the ~1.3 GB a recomputing
 * batch-2 step at 96^3 peaks at keep the wasm heap near 2.5 GB, well under its 4 GB cap.
 */
export const DEFAULT_MEMORY_BUDGET_MB = 1536;

export interface TrainStepResult {
  /** Mean cross-entropy of the batch, before the update. */
  readonly loss: number;
  /** Training-mode logits [batch, classes] before the update, row-major. */
  readonly logits: Float32Array;
}

/** One training step on a batch: x NDHWC float32 [batch, depth, height, width, channels], labels [batch]. */
export type TrainStep = (x: tf.Tensor5D, labels: Int32Array) => Promise<TrainStepResult>;

/**
 * A function that runs one training step: training-mode forward (BatchNorm running stats updated once),
 * cross-entropy loss, gradients (segment-wise by default), one optimizer step. Every tensor it creates is
 * disposed; the model's variables and the optimizer's moments are the only lasting state. Registers our
 * gradients (registerTrainingGradients). Throws SHAPE_MISMATCH for a bad batch.
 */
export function createTrainStep(model: TfModel, options: TrainStepOptions): TrainStep {
  registerTrainingGradients();
  const gradientsOf = (options.segmentwise ?? true) ? segmentwiseGradients : wholeModelGradients;
  const memoryBudgetMb = options.memoryBudgetMb ?? DEFAULT_MEMORY_BUDGET_MB;
  const seed = options.seed ?? 0;
  return async (x, labels) => {
    checkBatch(x, labels);
    // A fresh, reproducible dropout seed per step (the optimizer's step count, so a resumed run draws the
    // same masks as an uninterrupted one); both passes of a segment-wise step use it.
    const dropoutSeed = (Math.imul(seed >>> 0, 0x9e3779b1) ^ options.optimizer.stepCount) >>> 0;
    const gradients = (xs: tf.Tensor5D, ys: Int32Array) =>
      gradientsOf(model, xs, (logits) => crossEntropyLoss(logits, ys), { dropoutSeed, memoryBudgetMb });
    // On webgpu, the device's errors are checked before the update (gpuStepGuard.ts).
    const guard = openGpuStepGuard(model);
    let result: StepGradients;
    try {
      result = gradients(x, labels);
    } catch (e) {
      await guard?.check();
      throw e;
    }
    const failure = guard === null ? null : await guard.check();
    if (failure !== null) {
      disposeStepGradients(result);
      throw await gpuStepError(failure, x.shape[0], async (b) => {
        // A probe computes gradients only, and its guard puts the running stats back either way.
        const probe = openGpuStepGuard(model)!;
        const xs = tf.slice(x, 0, b);
        let thrown: unknown = null;
        try {
          disposeStepGradients(gradients(xs, labels.subarray(0, b)));
        } catch (e) {
          thrown = e;
        } finally {
          xs.dispose();
        }
        const probeFailure = await probe.check({ restore: 'always' });
        if (thrown !== null) throw thrown;
        return probeFailure === null;
      });
    }
    try {
      options.optimizer.step(result.grads);
      const [loss, logits] = await Promise.all([result.loss.data(), result.logits.data()]);
      return { loss: loss[0]!, logits: Float32Array.from(logits) };
    } finally {
      disposeStepGradients(result);
    }
  };
}

/** Eval-mode logits [batch, classes] (row-major) for x NDHWC [batch, depth, height, width, channels]. */
export function evaluateBatch(model: TfModel, x: tf.Tensor5D): Float32Array {
  const logits = model.forward(x, { training: false });
  try {
    return Float32Array.from(logits.dataSync());
  } finally {
    logits.dispose();
  }
}

/**
 * evaluateBatch read asynchronously: the same logits, on every backend including webgpu (whose synchronous
 * read does not work in Node). What training's validation and `voxlab evaluate` use.
 */
export async function predictBatch(model: TfModel, x: tf.Tensor5D): Promise<Float32Array> {
  const logits = model.forward(x, { training: false });
  try {
    return Float32Array.from(await logits.data());
  } finally {
    logits.dispose();
  }
}

function checkBatch(x: tf.Tensor, labels: Int32Array): void {
  if (x.rank !== 5 || x.dtype !== 'float32')
    throw new VoxlabError(
      'SHAPE_MISMATCH',
      `trainStep: x must be float32 NDHWC [batch, depth, height, width, channels], got ${x.dtype} [${x.shape.join(', ')}]`,
    );
  if (labels.length !== x.shape[0])
    throw new VoxlabError(
      'SHAPE_MISMATCH',
      `trainStep: ${labels.length} labels for a batch of ${x.shape[0]}`,
    );
}
