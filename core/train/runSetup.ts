// Getting a run ready: a fresh run id, the manifest (split and classes) of a new run, the study's images
// checked against a manifest (also when resuming), and the streaming data source.

import { existsSync } from 'node:fs';
import os from 'node:os';
import { VoxlabError } from '../common/errors.js';
import type { Study } from '../datastore/index.js';
import { PreprocessPool } from '../loader/preprocessPool.js';
import { denseNetConfig } from '../model/index.js';
import { runFolder, type RunManifest, type SplitEntry } from './checkpoint.js';
import { denseNetKnobs, type TrainConfig } from './config.js';
import { checkScans, labeledImages, type LabeledImage, type TrainingData } from './dataset.js';
import type { Split } from './split.js';
import { VolumeCache } from './volumeCache.js';

/** Runtime knobs for loading data; they do not change results. */
export interface DataOptions {
  /** Preprocessing worker threads (default 1: on 2 cores the other one trains). 0 = in-process. */
  readonly workers?: number;
  /** Most MB of preprocessed volumes kept in memory (default 1024: ~290 volumes at 96^3). */
  readonly cacheMb?: number;
}

/** A run id not used by a model nor a folder of the study: `<prefix>-YYYYMMDD-HHMMSS`, then -2, -3, ... */
export function newRunId(study: Study, prefix = 'train', now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const taken = new Set(study.listModels().map((m) => m.id));
  for (let n = 1; ; n++) {
    const id = n === 1 ? `${prefix}-${stamp}` : `${prefix}-${stamp}-${n}`;
    if (!taken.has(id) && !existsSync(runFolder(study.dir, id))) return id;
  }
}

/** The manifest of a new run on `data` with `split` (indices into data.images). */
export function buildManifest(
  study: Study,
  runId: string,
  config: TrainConfig,
  data: TrainingData,
  split: Split,
  fold: RunManifest['fold'] = null,
): RunManifest {
  const entries = (idx: readonly number[]): SplitEntry[] =>
    idx.map((i) => ({ id: data.images[i]!.id, label: data.images[i]!.label }));
  return {
    format: 'voxlab-train-run',
    version: 1,
    runId,
    createdAt: new Date().toISOString(),
    config,
    classes: data.classes,
    network: denseNetConfig(denseNetKnobs(config, data.classes.length)),
    train: entries(split.train),
    val: entries(split.val),
    dataVersion: study.dataVersion(),
    fold,
  };
}

/**
 * The manifest's train and val images as they are in the study now, after checking that each still has
 * the label the run started with (else TRAIN_DATA_INVALID: the labels changed, start a new run) and that
 * every scan is readable (TRAIN_DATA_INVALID listing the bad ones). Throws CANCELLED.
 */
export async function manifestImages(
  study: Study,
  m: RunManifest,
  signal?: AbortSignal,
): Promise<{ train: LabeledImage[]; val: LabeledImage[] }> {
  const wanted = [...m.train, ...m.val];
  const data = labeledImages(study, { only: wanted.map((e) => e.id), classes: m.classes });
  const changed = wanted.filter((e, i) => data.images[i]!.label !== e.label);
  if (changed.length > 0) {
    const list = changed
      .slice(0, 5)
      .map((e) => `${e.id} (${e.label} → ${data.images.find((x) => x.id === e.id)!.label})`);
    throw new VoxlabError(
      'TRAIN_DATA_INVALID',
      `Labels changed since run ${m.runId} started: ${list.join(', ')}${changed.length > 5 ? ', ...' : ''}; start a new run`,
      { changed: changed.map((e) => e.id) },
    );
  }
  await checkScans(data.images, signal ? { signal } : {});
  return { train: data.images.slice(0, m.train.length), val: data.images.slice(m.train.length) };
}

/** A bounded cache of preprocessed volumes ([1, s, s, s], see seedPreprocess) fed by a PreprocessPool. */
export function openDataSource(
  images: readonly LabeledImage[],
  inputSize: number,
  options: DataOptions = {},
): { cache: VolumeCache; close: () => Promise<void> } {
  const cacheMb = options.cacheMb ?? 1024;
  if (!(cacheMb >= 0)) throw new VoxlabError('BAD_ARGUMENT', `cacheMb must be >= 0, got ${cacheMb}`);
  const workers = Math.min(options.workers ?? 1, os.availableParallelism());
  const pool = new PreprocessPool({ size: inputSize, workers });
  const pathOf = new Map(images.map((i) => [i.id, i.path]));
  const cache = new VolumeCache((id) => pool.load(pathOf.get(id)!), cacheMb * 2 ** 20);
  return { cache, close: () => pool.close() };
}
