// One training epoch (seeded order and augmentation, one engine step per batch) and batched prediction for
// validation and evaluation. Volumes come from the bounded cache; batches are NDHWC float32.

import { setImmediate } from 'node:timers/promises';
import * as tf from '@tensorflow/tfjs-core';
import { VoxlabError } from '../common/errors.js';
import type { Tensor } from '../transforms/tensor.js';
import { augmentVolume, chunk, epochOrder, packBatch, trainingBatches } from './batches.js';
import type { AugmentConfig } from './config.js';
import type { LabeledImage } from './dataset.js';
import { argmaxRows, crossEntropy } from './metrics.js';
import type { VolumeCache } from './volumeCache.js';

/** A training step as the engine makes it: x NDHWC [batch, s, s, s, 1], labels = class indices. */
export type TrainStepFn = (
  x: tf.Tensor5D,
  labels: Int32Array,
) => Promise<{ loss: number; logits: Float32Array }>;
/** Eval-mode logits [batch, classes] (row-major) for x NDHWC [batch, s, s, s, 1]. */
export type PredictFn = (x: tf.Tensor5D) => Float32Array | Promise<Float32Array>;

/** What a step or a validation batch reports: 1-based index, count, the batch's mean loss. */
export type BatchReport = (index: number, count: number, loss: number) => void;

/** Throws CANCELLED when `signal` has aborted. Called before every step, so a cancel lands within one step. */
export function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new VoxlabError('CANCELLED', `${what} was cancelled`);
}

/** Loads (and optionally augments) a batch's volumes and packs them NDHWC. */
async function loadBatch(
  cache: VolumeCache,
  items: readonly LabeledImage[],
  augment: ((t: Tensor, position: number) => Tensor) | null,
  firstPosition: number,
): Promise<{ data: Float32Array; shape: [number, number, number, number, number]; labels: Int32Array }> {
  const volumes = await Promise.all(items.map((item) => cache.get(item.id)));
  const inputs = augment === null ? volumes : volumes.map((t, i) => augment(t, firstPosition + i));
  return { ...packBatch(inputs), labels: Int32Array.from(items, (item) => item.classIndex) };
}

/**
 * Runs `run` on each batch in order while the next batch loads (prefetch of one). Yields to the event loop
 * and checks `signal` before each batch. A prefetch still running when a batch fails or the run is cancelled is awaited and its result
 * dropped: nothing is left running in the background.
 */
async function forEachBatch(
  batches: readonly (readonly LabeledImage[])[],
  load: (items: readonly LabeledImage[], index: number) => Promise<Awaited<ReturnType<typeof loadBatch>>>,
  run: (batch: Awaited<ReturnType<typeof loadBatch>>, index: number) => Promise<void>,
  signal: AbortSignal | undefined,
  what: string,
): Promise<void> {
  let next = batches.length > 0 ? load(batches[0]!, 0) : null;
  try {
    for (let b = 0; b < batches.length; b++) {
      // Give the event loop a turn first: a cancel arrives as a macrotask (SIGINT, SIGTERM, the worker's
      // 'cancel' message), and once every volume is cached nothing in a step waits for I/O, so without this
      // the loop would only see it at the end of the epoch (issue #18).
      await setImmediate();
      throwIfCancelled(signal, what);
      const batch = await next!;
      next = b + 1 < batches.length ? load(batches[b + 1]!, b + 1) : null;
      await run(batch, b);
    }
  } finally {
    // A batch nobody will use: wait for it, so its load cannot outlive the run; its outcome does not matter.
    if (next !== null) await next.then(noop, noop);
  }
}

const noop = (): void => undefined;

export interface EpochContext {
  readonly cache: VolumeCache;
  readonly batchSize: number;
  readonly classes: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * One epoch of training on `items`: order = epochOrder(items, seed, epoch), batches of ctx.batchSize,
 * augmentation per volume seeded by (seed, epoch, position), one `step` per batch. Returns the mean loss
 * and accuracy over volumes (from the train-mode logits each step returns). Throws CANCELLED.
 */
export async function trainEpoch(
  ctx: EpochContext & { readonly step: TrainStepFn; readonly augment: AugmentConfig; readonly seed: number },
  items: readonly LabeledImage[],
  epoch: number,
  onStep: BatchReport,
): Promise<{ loss: number; accuracy: number; n: number }> {
  const batches = trainingBatches(epochOrder(items, ctx.seed, epoch), ctx.batchSize);
  const augment = (t: Tensor, position: number) => augmentVolume(t, ctx.augment, ctx.seed, epoch, position);
  let lossSum = 0;
  let correct = 0;
  let n = 0;
  await forEachBatch(
    batches,
    (batch, b) => loadBatch(ctx.cache, batch, augment, b * ctx.batchSize),
    async (batch, b) => {
      const x = tf.tensor5d(batch.data, batch.shape);
      let result;
      try {
        result = await ctx.step(x, batch.labels);
      } finally {
        x.dispose();
      }
      const predicted = argmaxRows(result.logits, ctx.classes);
      predicted.forEach((p, i) => (correct += p === batch.labels[i] ? 1 : 0));
      lossSum += result.loss * batch.labels.length;
      n += batch.labels.length;
      onStep(b + 1, batches.length, result.loss);
    },
    ctx.signal,
    'Training',
  );
  return { loss: lossSum / n, accuracy: correct / n, n };
}

/**
 * Eval-mode logits for `items` in their order, [items.length, classes] row-major, in batches of
 * ctx.batchSize without augmentation. Throws CANCELLED.
 */
export async function predictLogits(
  ctx: EpochContext & { readonly predict: PredictFn },
  items: readonly LabeledImage[],
  onBatch: BatchReport,
): Promise<Float32Array> {
  const batches = chunk(items, ctx.batchSize);
  const logits = new Float32Array(items.length * ctx.classes);
  await forEachBatch(
    batches,
    (batch) => loadBatch(ctx.cache, batch, null, 0),
    async (batch, b) => {
      const x = tf.tensor5d(batch.data, batch.shape);
      let out: Float32Array;
      try {
        out = await ctx.predict(x);
      } finally {
        x.dispose();
      }
      logits.set(out, b * ctx.batchSize * ctx.classes);
      onBatch(b + 1, batches.length, crossEntropy(out, batch.labels, ctx.classes));
    },
    ctx.signal,
    'Evaluation',
  );
  return logits;
}
