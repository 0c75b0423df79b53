// What a followed bundle run leaves in the study, as a voxlab run does (core/train/runState.ts): each epoch's
// metrics in run_metrics (train.metrics, the app's charts), and at done a model record whose weights are
// copied into models/<runId>/ so that the study keeps them when the bundle folder goes away.

import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { VoxlabError } from '../common/errors.js';
import type { ModelRecord, Study } from '../datastore/index.js';
import { runFolder, type EpochRecord } from '../train/checkpoint.js';
import { toJson } from '../train/runState.js';
import type { FollowResult } from './follow.js';

/** Records one epoch's metrics under `runId`, unless that epoch is recorded already (following again). */
export function recordBundleEpoch(study: Study, runId: string, record: EpochRecord): void {
  if (study.getRunMetrics(runId).some((r) => r.epoch === record.epoch)) return;
  study.recordRunMetrics(runId, record.epoch, toJson(record));
}

export interface BundleModelInfo {
  readonly runId: string;
  /** The bundle's output folder (where metrics.jsonl is, e.g. <bundle>/runs/train). */
  readonly outputDir: string;
  /** The bundle's root folder: the done line's model path is relative to it; configs/metadata.json gives the input size. */
  readonly bundleDir: string;
  /** The study's dataVersion() the bundle was exported from, when known. */
  readonly dataVersion: string | null;
  /** How it was launched, for the record (e.g. 'torchrun --nproc_per_node 4'). */
  readonly launch?: string | null;
}

/**
 * Records the finished run's model: the done line's weights (a PyTorch .pt state_dict) copied to
 * models/<runId>/, with a models/model.safetensors beside it in the bundle copied too and preferred as the
 * record's path (voxlab reads safetensors; a .pt needs the PyTorch reader). The config keeps the classes,
 * the input size (from the bundle's metadata) and every file, so inference works from either. A model
 * already recorded under `runId` is returned as is. Throws NOT_FOUND when the weights file is missing.
 */
export async function recordBundleModel(study: Study, info: BundleModelInfo, result: FollowResult): Promise<ModelRecord> {
  const existing = study.listModels().find((m) => m.id === info.runId);
  if (existing !== undefined) return existing;
  const weights = path.resolve(info.bundleDir, result.done.model);
  if (!existsSync(weights))
    throw new VoxlabError('NOT_FOUND', `The bundle says its model is ${weights}, but there is no such file`, {
      path: weights,
    });
  const dir = runFolder(study.dir, info.runId);
  await fsp.mkdir(dir, { recursive: true });
  const rel = (file: string) => path.relative(study.dir, path.join(dir, file)).split(path.sep).join('/');
  const files: Record<string, string> = {};
  files.pt = await copyInto(weights, dir);
  const safetensors = path.join(path.dirname(weights), `${path.parse(weights).name}.safetensors`);
  if (existsSync(safetensors)) files.safetensors = await copyInto(safetensors, dir);
  const metricsFile = path.join(info.outputDir, 'metrics.jsonl');
  if (existsSync(metricsFile)) files.metrics = await copyInto(metricsFile, dir);
  const bestEpoch = result.done.best_epoch ?? result.best?.epoch ?? null;
  const best = result.history.find((r) => r.epoch === bestEpoch)?.val ?? result.best?.metrics ?? null;
  const inputSize = await bundleInputSize(info.bundleDir);
  return study.recordModel({
    id: info.runId,
    kind: 'classifier',
    config: toJson({
      task: 'classification',
      engine: 'monai',
      classes: result.start?.classes ?? [],
      ...(inputSize !== null ? { inputSize } : {}),
      bundle: path.resolve(info.bundleDir),
      launch: info.launch ?? null,
      worldSize: result.start?.world_size ?? 1,
      device: result.start?.device ?? null,
      files: Object.fromEntries(Object.entries(files).map(([k, f]) => [k, rel(f)])),
    }),
    metrics: toJson({
      bestEpoch,
      best,
      last: result.history.at(-1) ?? null,
      epochs: result.history.length,
    }),
    path: rel(files.safetensors ?? files.pt),
    backend: result.history.at(-1)?.backend ?? 'monai',
    dataVersion: info.dataVersion,
  });
}

/** Copies `file` into `dir` under its own name; returns the name. */
async function copyInto(file: string, dir: string): Promise<string> {
  const name = path.basename(file);
  try {
    await fsp.copyFile(file, path.join(dir, name));
  } catch (e) {
    throw new VoxlabError('IO_ERROR', `Cannot copy ${file} into ${dir}: ${(e as Error).message}`, { path: file }, { cause: e });
  }
  return name;
}

/**
 * The cubic input edge from a MONAI bundle's configs/metadata.json (network_data_format.inputs.image.
 * spatial_shape, e.g. [96, 96, 96]); null when the file or the field is missing or not cubic.
 */
export async function bundleInputSize(bundleDir: string): Promise<number | null> {
  const file = path.join(bundleDir, 'configs', 'metadata.json');
  if (!existsSync(file)) return null; // a bare output folder: the size then comes from the weights' run or 96
  let meta: unknown;
  try {
    meta = JSON.parse(await fsp.readFile(file, 'utf8'));
  } catch (e) {
    throw new VoxlabError('BAD_ARGUMENT', `${file} is not readable JSON: ${(e as Error).message}`, { path: file }, { cause: e });
  }
  const shape = (meta as { network_data_format?: { inputs?: { image?: { spatial_shape?: unknown } } } })
    .network_data_format?.inputs?.image?.spatial_shape;
  if (!Array.isArray(shape) || shape.length !== 3) return null;
  const [d] = shape as unknown[];
  return Number.isInteger(d) && shape.every((s) => s === d) ? (d as number) : null;
}
