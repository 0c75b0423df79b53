// Runs a training run from its manifest: restores the last checkpoint if there is one, trains the remaining
// epochs (validating every valInterval epochs and after the last), checkpoints each epoch, and records the
// finished model in the study. A run stopped by cancel or a crash continues exactly where it stopped.

import * as tf from '@tensorflow/tfjs-core';
import { VoxlabError, isVoxlabError } from '../common/errors.js';
import type { ModelRecord, Study } from '../datastore/index.js';
import { streamSeed, trainingBatches } from './batches.js';
import { lockRun, type CheckpointState, type EpochRecord, type RunManifest } from './checkpoint.js';
import type { LabeledImage } from './dataset.js';
import { createTrainStep, predictBatch, registerTrainingGradients } from './engine/index.js';
import { predictLogits, trainEpoch, type BatchReport, type EpochContext } from './epoch.js';
import { classificationMetrics } from './metrics.js';
import { EtaClock, peakRssMb, type TrainProgress } from './progress.js';
import { gpuMemory } from '../backend/webgpu/gpuMemory.js';
import { manifestImages, openDataSource, type DataOptions } from './runSetup.js';
import {
  openLiveRun,
  recordFinished,
  restoreCheckpoint,
  saveEpoch,
  toJson,
  type LiveRun,
} from './runState.js';
import type { CacheStats } from './volumeCache.js';

/** How to run (none of it changes the result). */
export interface RunOptions extends DataOptions {
  /** After each training step and validation batch. */
  readonly onProgress?: (p: TrainProgress) => void;
  /** After each epoch is checkpointed and recorded, with the best validated epoch so far (maybe this one). */
  readonly onEpoch?: (r: EpochRecord, best: CheckpointState['best']) => void;
  /** Abort to stop within one step: the promise rejects with CANCELLED; resume from the last epoch. */
  readonly signal?: AbortSignal;
  /** The backend name stored with the model; default `tfjs-<tf.getBackend()>`. */
  readonly backend?: string;
}

/** What a finished run reports. */
export interface TrainResult {
  readonly modelId: string;
  readonly model: ModelRecord;
  readonly classes: readonly string[];
  readonly history: readonly EpochRecord[];
  readonly best: CheckpointState['best'];
  /** The epoch this invocation started from (1 for a fresh run; epochs + 1 when the run had already finished). */
  readonly startEpoch: number;
  readonly backend: string;
  /** Peak resident memory of the process so far, MB. */
  readonly peakRssMb: number;
  /** On the webgpu backend: peak GPU memory in buffers (tensors plus the bounded free pool) so far, MB. */
  readonly gpuPeakMb?: number;
  /** Wall time of this invocation, s. */
  readonly seconds: number;
  readonly cache: CacheStats;
}

/**
 * Runs (or continues) the run in `dir` whose manifest is `manifest`, holding the run's lock. Throws CANCELLED,
 * TRAIN_DATA_INVALID, IO_ERROR, ALREADY_EXISTS (another process is training this run).
 */
export async function executeRun(
  study: Study,
  dir: string,
  manifest: RunManifest,
  options: RunOptions = {},
): Promise<TrainResult> {
  const started = performance.now();
  const unlock = await lockRun(dir);
  try {
    return await lockedRun(study, dir, manifest, options, started);
  } finally {
    await unlock();
  }
}

async function lockedRun(
  study: Study,
  dir: string,
  manifest: RunManifest,
  options: RunOptions,
  started: number,
): Promise<TrainResult> {
  const { train, val } = await manifestImages(study, manifest, options.signal);
  registerTrainingGradients();
  const { config } = manifest;
  const live = await openLiveRun(manifest, dir, options.backend ?? `tfjs-${tf.getBackend()}`);
  const source = openDataSource([...train, ...val], config.inputSize, options);
  try {
    const startEpoch = await restoreCheckpoint(study, live);
    const ctx = {
      cache: source.cache,
      batchSize: config.batchSize,
      classes: manifest.classes.length,
      signal: options.signal,
    };
    await runEpochs(study, live, ctx, { train, val }, startEpoch, options).catch((e: unknown) => {
      throw cancelled(e, live);
    });
    const model = recordFinished(study, live);
    const history = live.state!.history;
    return {
      modelId: manifest.runId,
      model,
      classes: manifest.classes,
      history,
      best: live.state!.best,
      startEpoch,
      backend: live.backend,
      peakRssMb: peakRssMb(),
      ...gpuPeak(),
      seconds: (performance.now() - started) / 1000,
      cache: source.cache.stats(),
    };
  } finally {
    live.optimizer.dispose();
    live.model.dispose();
    await source.close();
  }
}

function validates(epoch: number, config: RunManifest['config']): boolean {
  return epoch % config.valInterval === 0 || epoch === config.epochs;
}

/** Work units left from `startEpoch` (training steps + weighted validation batches), for the ETA. */
function unitsLeft(config: RunManifest['config'], data: RunData, startEpoch: number): number {
  const steps = trainingBatches(data.train, config.batchSize).length;
  const valBatches = Math.ceil(data.val.length / config.batchSize);
  let units = 0;
  for (let e = startEpoch; e <= config.epochs; e++)
    units += steps + (validates(e, config) ? valBatches * EtaClock.VALIDATE_WEIGHT : 0);
  return units;
}

interface RunData {
  readonly train: LabeledImage[];
  readonly val: LabeledImage[];
}

/** Trains epochs startEpoch..epochs; after each: checkpoint, run metrics in the study, onEpoch. */
async function runEpochs(
  study: Study,
  live: LiveRun,
  ctx: EpochContext,
  data: RunData,
  startEpoch: number,
  options: RunOptions,
): Promise<void> {
  const { config } = live.manifest;
  const eta = new EtaClock(unitsLeft(config, data, startEpoch));
  for (let epoch = startEpoch; epoch <= config.epochs; epoch++) {
    const emit =
      (phase: TrainProgress['phase'], weight: number): BatchReport =>
      (step, stepsPerEpoch, loss) =>
        options.onProgress?.({
          phase,
          epoch,
          epochs: config.epochs,
          step,
          stepsPerEpoch,
          loss,
          etaS: eta.advance(weight),
        });
    const record = await runEpoch(live, ctx, data, epoch, emit);
    await saveEpoch(live, record);
    study.recordRunMetrics(live.manifest.runId, epoch, toJson(record));
    options.onEpoch?.(record, live.state!.best);
  }
}

/** One epoch: training, then validation when due. */
async function runEpoch(
  live: LiveRun,
  ctx: EpochContext,
  data: RunData,
  epoch: number,
  emit: (phase: TrainProgress['phase'], weight: number) => BatchReport,
): Promise<EpochRecord> {
  const t0 = performance.now();
  const { config } = live.manifest;
  // A step function per epoch, its dropout masks seeded by (seed, epoch): a resumed epoch draws the same masks.
  const step = createTrainStep(live.model, {
    optimizer: live.optimizer,
    seed: streamSeed(config.seed, 'dropout', epoch),
  });
  const trainCtx = { ...ctx, step, augment: config.augment, seed: config.seed };
  const train = await trainEpoch(trainCtx, data.train, epoch, emit('train', 1));
  let val = null;
  if (validates(epoch, config)) {
    const predict = { ...ctx, predict: (x: tf.Tensor5D) => predictBatch(live.model, x) };
    const logits = await predictLogits(predict, data.val, emit('validate', EtaClock.VALIDATE_WEIGHT));
    val = classificationMetrics(
      logits,
      Int32Array.from(data.val, (v) => v.classIndex),
      ctx.classes,
    );
  }
  return { epoch, train, val, seconds: (performance.now() - t0) / 1000, backend: live.backend };
}

/** A CANCELLED error that says which run stopped and what is saved (details: runId, epoch); other errors unchanged. */
function cancelled(e: unknown, live: LiveRun): unknown {
  if (!isVoxlabError(e) || e.code !== 'CANCELLED') return e;
  const epoch = live.state?.epoch ?? 0;
  const runId = live.manifest.runId;
  return new VoxlabError(
    'CANCELLED',
    `Training run ${runId} was cancelled; ${epoch} finished epoch(s) are saved and it can be resumed`,
    { runId, epoch },
    { cause: e },
  );
}

/** { gpuPeakMb } on the webgpu backend, else nothing. */
function gpuPeak(): { gpuPeakMb?: number } {
  const memory = gpuMemory();
  return memory === null ? {} : { gpuPeakMb: Math.round(memory.peakAllocatedBytes / 2 ** 20) };
}
