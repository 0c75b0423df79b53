// Gradients of a training loss with respect to every trainable variable of a TfModel, either by one tape
// over the whole forward (simple, but keeps every intermediate alive: ~7 GB at 96^3, batch 2) or segment
// by segment (stem, each dense layer, each transition, head), which keeps only each segment's input and
// recomputes one segment at a time under the tape: the same gradients for the cost of one more forward.

import * as tf from '@tensorflow/tfjs-core';
import { VoxlabError } from '../../common/errors.js';
import type { ForwardOptions, TfModel } from '../../model/index.js';
import { backpropRecorded, recordForward, releaseRecorded, type RecordedForward } from './tape.js';

/** A loss of logits [batch, classes]; returns a scalar (e.g. crossEntropyLoss with fixed labels). */
export type LossFunction = (logits: tf.Tensor2D) => tf.Scalar;

/** What one backward pass yields; the caller disposes every tensor (see disposeStepGradients). */
export interface StepGradients {
  readonly loss: tf.Scalar;
  /** Logits [batch, classes] of the training-mode forward. */
  readonly logits: tf.Tensor2D;
  /** d(loss)/d(parameter) by MONAI state_dict key, in the variable's tfjs layout. */
  readonly grads: Map<string, tf.Tensor>;
}

/** The model's trainable variables by state_dict key, in state_dict order (what Adam is built from). */
export function namedParameters(model: TfModel): Map<string, tf.Variable> {
  const keys = model.stateKeys.filter((k) => model.entry(k).kind === 'parameter');
  return new Map(keys.map((k) => [k, model.variable(k)]));
}

/** Frees the loss, logits and gradients of a StepGradients. */
export function disposeStepGradients(result: StepGradients): void {
  tf.dispose([result.loss, result.logits, ...result.grads.values()]);
}

/**
 * Whole-model autodiff: one training-mode forward of `x` (NDHWC [batch, depth, height, width, channels])
 * under a gradient tape. BatchNorm running stats are updated once (as PyTorch's train() forward does).
 */
export function wholeModelGradients(
  model: TfModel,
  x: tf.Tensor,
  lossOf: LossFunction,
  options: { dropoutSeed?: number } = {},
): StepGradients {
  const params = namedParameters(model);
  const forward: ForwardOptions = { training: true, dropoutSeed: options.dropoutSeed };
  let logits: tf.Tensor2D | undefined;
  const { value, grads } = tf.engine().gradients(() => {
    logits = tf.keep(model.forward(x, forward));
    return lossOf(logits);
  }, [...params.values()]);
  const byKey = new Map<string, tf.Tensor>();
  [...params.keys()].forEach((key, i) => byKey.set(key, requireGrad(grads[i], key)));
  return { loss: value as tf.Scalar, logits: logits!, grads: byKey };
}

/** Options of segmentwiseGradients. */
export interface SegmentwiseOptions {
  readonly dropoutSeed?: number;
  /**
   * MiB of tensors that pass 1 may keep on gradient tapes so that those segments are not recomputed
   * (default 0: recompute every segment). Segments are recorded in forward order while the total fits.
   */
  readonly memoryBudgetMb?: number;
}

/**
 * Segment-wise backpropagation, with the same result as wholeModelGradients. Pass 1 runs each segment in
 * training mode (updating BatchNorm running stats once) and keeps only the segment inputs. Then the loss
 * and dL/dlogits; then, from the head back, each segment's forward is recomputed under the tape with
 * updateStats: false and pulled back with the upstream gradient (tf.grads' dy) to get the gradients of
 * its variables and of its input. The input gradient of a dense layer includes the part that passes
 * straight through its concat(input, new), since the recomputed segment contains the concat.
 * Peak memory: the kept inputs plus one segment's tape.
 *
 * With a memoryBudgetMb, pass 1 records segments (in forward order) on their own tapes (see tape.ts)
 * while the tensors those tapes keep fit the budget; a recorded segment is pulled back from its pass-1
 * tape instead of being recomputed. The tape holds the very ops the recompute would run, with the same
 * inputs, dropout masks and accumulation order, so the gradients are the same, bit for bit. Peak memory:
 * the kept inputs, the recorded tapes (at most the budget) and one more segment's tape.
 */
export function segmentwiseGradients(
  model: TfModel,
  x: tf.Tensor,
  lossOf: LossFunction,
  options: SegmentwiseOptions = {},
): StepGradients {
  const segments = model.segments();
  const last = segments.length - 1;
  const inputs: tf.Tensor[] = [x];
  const tapes: (RecordedForward | undefined)[] = [];
  const grads = new Map<string, tf.Tensor>();
  let logits: tf.Tensor2D | undefined;
  let loss: tf.Scalar | undefined;
  let upstream: tf.Tensor | undefined;
  try {
    const first: ForwardOptions = { training: true, dropoutSeed: options.dropoutSeed };
    const budget = Math.max(0, options.memoryBudgetMb ?? 0) * 2 ** 20;
    let recordedBytes = 0;
    for (const [i, segment] of segments.entries()) {
      const input = inputs[inputs.length - 1]!;
      let output: tf.Tensor;
      if (recordedBytes < budget) {
        const recorded = recordForward(() => segment.forward(input, first));
        output = recorded.output;
        if (recordedBytes + recorded.bytes <= budget) {
          tapes[i] = recorded;
          recordedBytes += recorded.bytes;
        } else releaseRecorded(recorded);
      } else output = segment.forward(input, first);
      if (i < last) inputs.push(output);
      else logits = output as tf.Tensor2D;
    }
    ({ value: loss, grad: upstream } = tf.valueAndGrad(lossOf)(logits!));
    const again: ForwardOptions = { training: true, updateStats: false, dropoutSeed: options.dropoutSeed };
    for (let i = last; i >= 0; i--) {
      const segment = segments[i]!;
      const input = inputs[i]!;
      // The network input needs no gradient; every other segment passes one on to the segment before it.
      const xs = i === 0 ? [...segment.variables] : [input, ...segment.variables];
      const dy: tf.Tensor = upstream!;
      const recorded = tapes[i];
      tapes[i] = undefined;
      let segmentGrads: (tf.Tensor | undefined)[];
      if (recorded !== undefined) segmentGrads = backpropRecorded(recorded, xs, dy);
      else {
        const result = tf.engine().gradients(() => segment.forward(input, again), xs, dy);
        result.value.dispose();
        segmentGrads = result.grads;
      }
      dy.dispose();
      upstream = i === 0 ? undefined : requireGrad(segmentGrads[0], `${segment.name} input`);
      const offset = i === 0 ? 0 : 1;
      segment.variableKeys.forEach((key, j) =>
        addGrad(grads, key, requireGrad(segmentGrads[j + offset], key)),
      );
      // The segment's output (the next one's input) is no longer needed; a recorded tape needed it.
      if (i < last) inputs.pop()!.dispose();
    }
    return { loss: loss!, logits: logits!, grads };
  } catch (e) {
    tapes.forEach((t) => t && releaseRecorded(t));
    tf.dispose([...inputs.slice(1), ...grads.values()]);
    tf.dispose([logits, loss, upstream].filter((t): t is tf.Tensor => t !== undefined));
    throw e;
  }
}

function requireGrad(g: tf.Tensor | undefined, what: string): tf.Tensor {
  if (g == null) throw new VoxlabError('INTERNAL', `backprop: no gradient reached ${what}`);
  return g;
}

/** Sets grads[key] = g, or adds g when a variable is read by more than one segment. */
function addGrad(grads: Map<string, tf.Tensor>, key: string, g: tf.Tensor): void {
  const previous = grads.get(key);
  if (previous === undefined) grads.set(key, g);
  else {
    grads.set(key, tf.add(previous, g));
    tf.dispose([previous, g]);
  }
}
