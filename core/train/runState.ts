// What a run keeps between epochs and what it leaves behind: restoring the last checkpoint (weights,
// optimizer state), saving each epoch (weights, optimizer, checkpoint.json), and the model record the
// finished run adds to the study (config, metrics, data version, backend, time).

import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { VoxlabError } from '../common/errors.js';
import type { Json, ModelRecord, Study } from '../datastore/index.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { createDenseNet, readWeightsFile, writeWeightsFile, type TfModel } from '../model/index.js';
import {
  commitCheckpoint,
  epochFiles,
  isBetter,
  readCheckpoint,
  type CheckpointState,
  type EpochRecord,
  type RunManifest,
} from './checkpoint.js';
import { Adam, namedParameters, type AdamState } from './engine/index.js';
import { peakRssMb } from './progress.js';
import { decodeState, encodeState, type StateValue } from './stateCodec.js';

/** A run in progress: its manifest and folder, the model and optimizer, and the last committed checkpoint. */
export interface LiveRun {
  readonly manifest: RunManifest;
  readonly dir: string;
  readonly model: TfModel;
  readonly optimizer: Adam;
  readonly backend: string;
  state: CheckpointState | null;
}

/**
 * The run's model (initialised from config.seed) and Adam optimizer, and its checkpoint.json if any (not
 * loaded yet: see restoreCheckpoint). The caller disposes model and optimizer.
 */
export async function openLiveRun(manifest: RunManifest, dir: string, backend: string): Promise<LiveRun> {
  const state = await readCheckpoint(dir);
  const { config } = manifest;
  const s = config.inputSize;
  const model = createDenseNet(manifest.network, { seed: config.seed, inputSize: [s, s, s] });
  const optimizer = new Adam(namedParameters(model), {
    lr: config.learningRate,
    betas: [config.betas[0], config.betas[1]],
    eps: config.eps,
    weightDecay: config.weightDecay,
  });
  return { manifest, dir, model, optimizer, backend, state };
}

/** Loads the last checkpoint (weights, optimizer) and backfills run metrics a crash did not record. Returns the next epoch. */
export async function restoreCheckpoint(study: Study, live: LiveRun): Promise<number> {
  const { state, dir } = live;
  if (state === null) return 1;
  await readWeightsFile(live.model, path.join(dir, state.last.weights));
  const optimizerFile = path.join(dir, state.last.optimizer);
  live.optimizer.loadState(
    asAdamState(decodeState(new Uint8Array(await fsp.readFile(optimizerFile))), optimizerFile),
  );
  const recorded = new Set(study.getRunMetrics(live.manifest.runId).map((r) => r.epoch));
  for (const record of state.history)
    if (!recorded.has(record.epoch))
      study.recordRunMetrics(live.manifest.runId, record.epoch, toJson(record));
  return state.epoch + 1;
}

/** Writes the epoch's weights and optimizer state, then commits checkpoint.json naming them. */
export async function saveEpoch(live: LiveRun, record: EpochRecord): Promise<void> {
  const files = epochFiles(record.epoch);
  const meta = { voxlab_run: live.manifest.runId, epoch: String(record.epoch) };
  await Promise.all([live.model.download(), live.optimizer.download()]);
  await writeWeightsFile(live.model, path.join(live.dir, files.weights), meta);
  await writeFileAtomic(
    path.join(live.dir, files.optimizer),
    encodeState(live.optimizer.state() as unknown as StateValue),
  );
  const previous = live.state;
  const improved = record.val !== null && isBetter(record.val, previous?.best?.metrics ?? null);
  live.state = {
    format: 'voxlab-train-checkpoint',
    version: 1,
    epoch: record.epoch,
    history: [...(previous?.history ?? []), record],
    last: { epoch: record.epoch, weights: files.weights, optimizer: files.optimizer },
    best: improved
      ? { epoch: record.epoch, weights: files.weights, metrics: record.val! }
      : (previous?.best ?? null),
    savedAt: new Date().toISOString(),
  };
  await commitCheckpoint(live.dir, live.state);
}

/** Records the model (its best epoch's weights) in the study; a run already recorded is returned as is. */
export function recordFinished(study: Study, live: LiveRun): ModelRecord {
  const { manifest, dir } = live;
  const state = live.state!;
  const existing = study.listModels().find((m) => m.id === manifest.runId);
  if (existing !== undefined) return existing;
  const rel = (file: string) => path.relative(study.dir, path.join(dir, file)).split(path.sep).join('/');
  const chosen = state.best ?? state.last;
  const last = state.history.at(-1)!;
  return study.recordModel({
    id: manifest.runId,
    kind: 'classifier',
    config: toJson({
      task: 'classification',
      classes: manifest.classes,
      inputSize: manifest.config.inputSize,
      preprocessing: 'ScaleIntensity -> Resize (area), axes = file voxel axes; see seedPreprocess',
      network: manifest.network,
      train: manifest.config,
      split: { train: manifest.train.map((e) => e.id), val: manifest.val.map((e) => e.id) },
      fold: manifest.fold,
      files: { best: rel(chosen.weights), last: rel(state.last.weights), run: rel('run.json') },
    }),
    metrics: toJson({
      bestEpoch: chosen.epoch,
      best: state.best?.metrics ?? null,
      last,
      epochs: state.history.length,
      peakRssMb: Math.round(peakRssMb()),
    }),
    path: rel(chosen.weights),
    backend: live.backend,
    dataVersion: manifest.dataVersion,
  });
}

/** Checks the decoded optimizer file has AdamState's shape (Adam.loadState checks keys and sizes). */
function asAdamState(value: StateValue, file: string): AdamState {
  const v = value as Partial<Record<keyof AdamState, unknown>> | null;
  const isRecord = (x: unknown) =>
    typeof x === 'object' && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x);
  if (!isRecord(v) || typeof v!.step !== 'number' || !isRecord(v!.m) || !isRecord(v!.v)) {
    throw new VoxlabError('WEIGHTS_INVALID', `${file} does not hold an Adam state (step, m, v)`, {
      path: file,
    });
  }
  return v as unknown as AdamState;
}

/** Plain JSON copy of a value built from interfaces (which TypeScript will not widen to Json). */
export function toJson(value: unknown): Json {
  if (value === undefined) throw new VoxlabError('INTERNAL', 'toJson: undefined');
  return JSON.parse(JSON.stringify(value)) as Json;
}
