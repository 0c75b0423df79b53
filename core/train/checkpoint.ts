// A training run's folder, models/<runId>/ in the study: run.json (what the run learns from and how, written
// once at the start), epoch-NNNN.safetensors weights (MONAI names) with epoch-NNNN.optimizer.safetensors,
// and checkpoint.json, the commit point naming the last and best epochs. Files are written before the
// checkpoint.json that names them, atomically, so a crash at any moment leaves a resumable run.

import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { VoxlabError } from '../common/errors.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import type { DenseNetConfig } from '../model/index.js';
import type { TrainConfig } from './config.js';
import type { ClassificationMetrics } from './metrics.js';

/** Where the study keeps models (datastore/layout.ts MODELS_DIR). */
export const MODELS_FOLDER = 'models';

/** One image of a split, with the label it had when the run started. */
export interface SplitEntry {
  readonly id: string;
  readonly label: string;
}

/** run.json: fixed for the life of a run. */
export interface RunManifest {
  readonly format: 'voxlab-train-run';
  readonly version: 1;
  readonly runId: string;
  /** ISO 8601 UTC. */
  readonly createdAt: string;
  readonly config: TrainConfig;
  /** Class names; index = network output. */
  readonly classes: readonly string[];
  /** The network built (MONAI DenseNet arguments), for an input of config.inputSize^3. */
  readonly network: DenseNetConfig;
  readonly train: readonly SplitEntry[];
  readonly val: readonly SplitEntry[];
  /** The study's dataVersion() at the start. */
  readonly dataVersion: string;
  /** For cross-validation runs: which fold of how many. */
  readonly fold: { readonly index: number; readonly of: number } | null;
}

/** What one epoch did. Losses are mean cross-entropy per volume; accuracy in [0, 1]. */
export interface EpochRecord {
  readonly epoch: number;
  /** Over the epoch's training steps, in train mode with augmentation (as the tutorial reports). */
  readonly train: { readonly loss: number; readonly accuracy: number; readonly n: number };
  /** On the validation split in eval mode; null in epochs without validation. */
  readonly val: ClassificationMetrics | null;
  /** Wall time of the epoch, training and validation. */
  readonly seconds: number;
  /** The tfjs backend it ran on, e.g. 'tfjs-wasm' (a resumed run may change backend). */
  readonly backend: string;
}

/** A saved epoch: weights file and (for the last) optimizer file, relative to the run folder. */
export interface SavedEpoch {
  readonly epoch: number;
  readonly weights: string;
}

/** checkpoint.json. */
export interface CheckpointState {
  readonly format: 'voxlab-train-checkpoint';
  readonly version: 1;
  /** Epochs completed (the last checkpoint's epoch). */
  readonly epoch: number;
  readonly history: readonly EpochRecord[];
  readonly last: SavedEpoch & { readonly optimizer: string };
  /** Best validated epoch so far: highest validation accuracy, ties broken by lower validation loss. */
  readonly best: (SavedEpoch & { readonly metrics: ClassificationMetrics }) | null;
  readonly savedAt: string;
}

/** models/<runId> inside the study folder. */
export function runFolder(studyDir: string, runId: string): string {
  return path.join(studyDir, MODELS_FOLDER, runId);
}

/** The weights and optimizer file names of an epoch. */
export function epochFiles(epoch: number): { weights: string; optimizer: string } {
  const stem = `epoch-${String(epoch).padStart(4, '0')}`;
  return { weights: `${stem}.safetensors`, optimizer: `${stem}.optimizer.safetensors` };
}

/** A file's text, or null when it does not exist. Other read failures throw IO_ERROR. */
async function readTextOrNull(file: string): Promise<string | null> {
  try {
    return await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new VoxlabError(
      'IO_ERROR',
      `Cannot read ${file}: ${(e as Error).message}`,
      { path: file },
      { cause: e },
    );
  }
}

async function readJson<T>(file: string, format: string): Promise<T | null> {
  const text = await readTextOrNull(file);
  if (text === null) return null;
  let value: { format?: unknown };
  try {
    value = JSON.parse(text) as { format?: unknown };
  } catch (e) {
    throw new VoxlabError(
      'STUDY_INVALID',
      `${file} is not valid JSON: ${(e as Error).message}`,
      { path: file },
      { cause: e },
    );
  }
  if (value.format !== format)
    throw new VoxlabError('STUDY_INVALID', `${file} is not a ${format} file`, { path: file });
  return value as T;
}

/** Writes run.json into a new run folder (created). Throws ALREADY_EXISTS when the folder holds a run. */
export async function writeManifest(dir: string, manifest: RunManifest): Promise<void> {
  await fsp.mkdir(dir, { recursive: true });
  if (existsSync(path.join(dir, 'run.json')))
    throw new VoxlabError('ALREADY_EXISTS', `${dir} already holds a training run`, { path: dir });
  await writeFileAtomic(path.join(dir, 'run.json'), `${JSON.stringify(manifest, null, 1)}\n`);
}

/** run.json of a run folder; NOT_FOUND when there is none. */
export async function readManifest(dir: string): Promise<RunManifest> {
  const m = await readJson<RunManifest>(path.join(dir, 'run.json'), 'voxlab-train-run');
  if (m === null)
    throw new VoxlabError('NOT_FOUND', `No training run in ${dir} (run.json is missing)`, { path: dir });
  return m;
}

/** checkpoint.json of a run folder, or null before the first epoch ended. */
export function readCheckpoint(dir: string): Promise<CheckpointState | null> {
  return readJson<CheckpointState>(path.join(dir, 'checkpoint.json'), 'voxlab-train-checkpoint');
}

/**
 * Commits `state` (whose files must already be written) and then deletes epoch files it no longer names
 * (older last checkpoints that were not the best) and temp files a crash left. Call with the run locked.
 */
export async function commitCheckpoint(dir: string, state: CheckpointState): Promise<void> {
  await writeFileAtomic(path.join(dir, 'checkpoint.json'), `${JSON.stringify(state, null, 1)}\n`);
  const keep = new Set([
    state.last.weights,
    state.last.optimizer,
    ...(state.best ? [state.best.weights] : []),
  ]);
  for (const name of await fsp.readdir(dir)) {
    const unused = /^epoch-\d+\.(optimizer\.)?safetensors$/.test(name) && !keep.has(name);
    // Temp files of writeFileAtomic left by a killed process (the run lock says no one else writes here).
    const orphan = /^\.(epoch-\d+\.(optimizer\.)?safetensors|checkpoint\.json)\..+\.tmp$/.test(name);
    if (unused || orphan) await fsp.rm(path.join(dir, name), { force: true });
  }
}

/** True when `candidate` beats `best`: higher accuracy, or equal accuracy and lower loss. */
export function isBetter(candidate: ClassificationMetrics, best: ClassificationMetrics | null): boolean {
  if (best === null) return true;
  if (candidate.accuracy !== best.accuracy) return candidate.accuracy > best.accuracy;
  return candidate.loss < best.loss;
}

/** When this process started (ms since the epoch): with the pid, tells our own lock from a dead one's. */
const PROCESS_STARTED = Math.round(Date.now() - process.uptime() * 1000);

/**
 * Takes the run folder's lock (`.lock`: pid and start time of the holder) so that two trainings never write
 * one run, also within one process. A lock whose process is gone (a crash) is taken over; a reused pid is
 * told apart by the start time when it is ours. Returns the release function. Throws ALREADY_EXISTS while a
 * live holder has it.
 */
export async function lockRun(dir: string): Promise<() => Promise<void>> {
  const file = path.join(dir, '.lock');
  const me = JSON.stringify({ pid: process.pid, started: PROCESS_STARTED });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fsp.writeFile(file, me, { flag: 'wx' });
      return () => fsp.rm(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new VoxlabError(
          'IO_ERROR',
          `Cannot lock ${dir}: ${(e as Error).message}`,
          { path: dir },
          { cause: e },
        );
    }
    const holder = await readLock(file);
    if (holder !== null && isHeld(holder)) {
      throw new VoxlabError(
        'ALREADY_EXISTS',
        `Run ${path.basename(dir)} is being trained (process ${holder.pid})`,
        { pid: holder.pid },
      );
    }
    await fsp.rm(file, { force: true }); // its holder died: take it over
  }
  throw new VoxlabError(
    'ALREADY_EXISTS',
    `Could not lock run ${path.basename(dir)}: another process keeps taking the lock`,
  );
}

/** The lock's holder; null when the file vanished or was left half-written by a process that died. */
async function readLock(file: string): Promise<{ pid: number; started: number } | null> {
  const text = await readTextOrNull(file);
  if (text === null) return null;
  let v: { pid?: unknown; started?: unknown } | null;
  try {
    v = JSON.parse(text) as { pid?: unknown; started?: unknown } | null;
  } catch {
    return null; // half-written by a process that died: nobody holds it
  }
  if (typeof v !== 'object' || v === null) return null;
  return typeof v.pid === 'number' && typeof v.started === 'number'
    ? { pid: v.pid, started: v.started }
    : null;
}

/** True when the lock's holder is alive: this process (same start time), or another existing process. */
function isHeld(holder: { pid: number; started: number }): boolean {
  if (holder.pid === process.pid) return holder.started === PROCESS_STARTED;
  try {
    process.kill(holder.pid, 0); // signal 0: checks the process exists, sends nothing
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}
