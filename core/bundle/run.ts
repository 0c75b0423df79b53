// Trains a study's exported MONAI bundle with the user's own Python and MONAI (issue #14), as a voxlab run:
// the bundle runs as a child process in its own process group (cancel stops it and every worker a launcher
// started), its output goes to a log file, and its metrics.jsonl is followed into voxlab's events, run
// metrics and model list.

import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { VoxlabError, isVoxlabError } from '../common/errors.js';
import type { ModelRecord, Study } from '../datastore/index.js';
import { runFolder, type EpochRecord } from '../train/checkpoint.js';
import type { TrainProgress } from '../train/progress.js';
import { followMetrics, type BestEpoch, type FollowResult } from './follow.js';
import type { MalformedLine } from './followLines.js';
import { recordBundleEpoch, recordBundleModel } from './followRecord.js';
import { findPython, type PythonReport } from './python.js';
import { bundleCommand, TRAIN_CONFIG } from './runCommand.js';

/** The metrics file a bundle writes in its output folder (rank 0 only). */
export const METRICS_FILE = 'metrics.jsonl';
/** The exported bundle's training output folder, relative to its root (exportConfigs.ts BUNDLE_PATHS.trainOutput). */
export const TRAIN_OUTPUT = 'runs/train';

/**
 * Writes a study's bundle into `outDir` (core/bundle/export.ts's exportBundle, injected so that this file
 * does not depend on the exporter's options).
 */
export type ExportBundleFn = (study: Study, outDir: string) => Promise<unknown>;

export interface BundleRunOptions {
  /** Id of the run and of the model it records. */
  readonly runId: string;
  /** The bundle's root folder (configs/train.json); exported there first when it has none and `exportBundle` is given. */
  readonly bundleDir: string;
  /** Where the bundle writes metrics.jsonl (default: <bundleDir>/runs/train, as exported bundles do). */
  readonly outputDir?: string;
  readonly exportBundle?: ExportBundleFn;
  /** The interpreter (`--python`); default VOXLAB_PYTHON, else python3 on PATH. */
  readonly python?: string;
  /** A launcher put in front, e.g. 'torchrun --nproc_per_node 4'. */
  readonly launch?: string | null;
  /** Environment of the process (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Abort to stop the run: its process group gets SIGTERM (SIGKILL after `killAfterMs`), the promise rejects with CANCELLED. */
  readonly signal?: AbortSignal;
  readonly pollMs?: number;
  /** Grace time between SIGTERM and SIGKILL, ms (default 10 s). */
  readonly killAfterMs?: number;
  readonly onPython?: (p: PythonReport) => void;
  readonly onProgress?: (p: TrainProgress) => void;
  readonly onEpoch?: (r: EpochRecord, best: BestEpoch | null) => void;
  readonly onMalformed?: (m: MalformedLine) => void;
}

export interface BundleRunResult extends FollowResult {
  readonly runId: string;
  readonly model: ModelRecord;
  readonly python: PythonReport;
  /** The bundle's stdout and stderr. */
  readonly logFile: string;
  readonly seconds: number;
}

/** Bytes of the process's output kept for error messages. */
const LOG_TAIL_BYTES = 4000;

/**
 * Runs the bundle and follows it to the end; records each epoch and, at done, the model. Throws
 * PYTHON_NOT_FOUND (no Python with torch and MONAI), NOT_FOUND (no bundle and no exporter), ALREADY_EXISTS
 * (run id taken), BUNDLE_FAILED (error line, failed or unfinished process: the log's tail in the message),
 * CANCELLED.
 */
export async function runBundle(study: Study, options: BundleRunOptions): Promise<BundleRunResult> {
  const started = performance.now();
  if (study.listModels().some((m) => m.id === options.runId) || existsSync(runFolder(study.dir, options.runId)))
    throw new VoxlabError('ALREADY_EXISTS', `The study already has a run or model "${options.runId}"`, { runId: options.runId });
  const python = await findPython({ ...(options.python !== undefined ? { python: options.python } : {}), ...(options.env ? { env: options.env } : {}) });
  options.onPython?.(python);
  if (!python.found) throw new VoxlabError('PYTHON_NOT_FOUND', python.detail, { python: python.command });
  const bundleDir = path.resolve(options.bundleDir);
  await ensureBundle(study, bundleDir, options.exportBundle);
  const outputDir = path.resolve(options.outputDir ?? path.join(bundleDir, TRAIN_OUTPUT));
  const metricsFile = path.join(outputDir, METRICS_FILE);
  if (existsSync(metricsFile)) await fsp.rename(metricsFile, path.join(outputDir, 'metrics.previous.jsonl'));
  const dir = runFolder(study.dir, options.runId);
  await fsp.mkdir(dir, { recursive: true });
  const logFile = path.join(dir, 'train.log');
  const dataVersion = study.dataVersion();
  const proc = startProcess(bundleCommand(python.executable ?? python.command, bundleDir, options.launch), bundleDir, logFile, options);
  try {
    const result = await followMetrics(metricsFile, {
      writerEnded: proc.exited,
      ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
      onProgress: (p) => options.onProgress?.(p),
      onEpoch: (r, best) => {
        recordBundleEpoch(study, options.runId, r);
        options.onEpoch?.(r, best);
      },
      ...(options.onMalformed ? { onMalformed: options.onMalformed } : {}),
    });
    await proc.stop(30_000); // done was written: let it exit (torchrun tears its workers down), then make sure
    const info = { runId: options.runId, outputDir, bundleDir, dataVersion, launch: options.launch ?? null };
    const model = await recordBundleModel(study, info, result);
    return { ...result, runId: options.runId, model, python, logFile, seconds: (performance.now() - started) / 1000 };
  } catch (e) {
    // After an error line the process exits by itself (its traceback and exit code belong in the message);
    // a stopped or unreadable run is ended now.
    const errorLine = isVoxlabError(e) && e.code === 'BUNDLE_FAILED' && !options.signal?.aborted;
    await proc.stop(errorLine ? 30_000 : 0);
    throw await failure(e, options, proc, logFile);
  } finally {
    await proc.closeLog();
  }
}

/** Exports the bundle when `bundleDir` has no configs/train.json; NOT_FOUND when there is no exporter. */
async function ensureBundle(study: Study, bundleDir: string, exportBundle?: ExportBundleFn): Promise<void> {
  if (existsSync(path.join(bundleDir, TRAIN_CONFIG))) return;
  if (exportBundle === undefined)
    throw new VoxlabError('NOT_FOUND', `${bundleDir} is not a MONAI bundle (no ${TRAIN_CONFIG}): export one with voxlab export-bundle`, { path: bundleDir });
  await exportBundle(study, bundleDir);
  if (!existsSync(path.join(bundleDir, TRAIN_CONFIG)))
    throw new VoxlabError('INTERNAL', `The bundle export into ${bundleDir} wrote no ${TRAIN_CONFIG}`);
}

/** The error the run ends with: CANCELLED when stopped, else the follower's error with the log's tail. */
async function failure(e: unknown, options: BundleRunOptions, proc: BundleProcess, logFile: string): Promise<unknown> {
  if (options.signal?.aborted)
    return new VoxlabError('CANCELLED', `Training run ${options.runId} (MONAI bundle) was stopped; its log is ${logFile}`, { bundleRun: options.runId }, { cause: e });
  if (!isVoxlabError(e) || e.code !== 'BUNDLE_FAILED') return e;
  const exit = await proc.exited;
  const how = exit.error ?? (exit.signal !== null ? `killed by ${exit.signal}` : `exit code ${exit.code}`);
  const tail = proc.tail().trim();
  return new VoxlabError(
    'BUNDLE_FAILED',
    `${e.message} (process: ${how}; log ${logFile})${tail === '' ? '' : `\n--- last lines of the log ---\n${tail}`}`,
    { ...e.details, runId: options.runId, logFile, exitCode: exit.code },
    { cause: e },
  );
}

interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Why it did not start (e.g. the launcher is not on PATH), else null. */
  readonly error: string | null;
}

interface BundleProcess {
  readonly exited: Promise<ProcessExit>;
  /** Waits up to `graceMs` for the exit, then SIGTERMs the group (SIGKILL after killAfterMs) and waits. */
  stop(graceMs: number): Promise<void>;
  /** The last bytes of its output. */
  tail(): string;
  closeLog(): Promise<void>;
}

/** Starts argv in its own process group (detached), output appended to `logFile`; abort stops it. */
function startProcess(argv: readonly string[], cwd: string, logFile: string, options: BundleRunOptions): BundleProcess {
  const log = createWriteStream(logFile, { flags: 'a' });
  log.write(`$ ${argv.join(' ')}\n`);
  let tail = '';
  const child = spawn(argv[0]!, argv.slice(1), { cwd, env: options.env ?? process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => {
    log.write(chunk);
    tail = (tail + chunk.toString('utf8')).slice(-LOG_TAIL_BYTES);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let running = true;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.on('error', (e) => {
      running = false;
      resolve({ code: null, signal: null, error: `${argv[0]} did not start: ${e.message}` });
    });
    child.on('close', (code, signal) => {
      running = false;
      resolve({ code, signal, error: null });
    });
  });
  const killGroup = (signal: NodeJS.Signals) => {
    if (!running || child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal); // the group: torchrun's workers too
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e; // ESRCH: it ended meanwhile
    }
  };
  const terminate = async () => {
    killGroup('SIGTERM');
    const timer = setTimeout(() => killGroup('SIGKILL'), options.killAfterMs ?? 10_000);
    await exited;
    clearTimeout(timer);
  };
  const onAbort = () => void terminate();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  return {
    exited,
    async stop(graceMs) {
      if (graceMs > 0) await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs).unref())]);
      await terminate();
    },
    tail: () => tail,
    closeLog: async () => {
      options.signal?.removeEventListener('abort', onAbort);
      await exited;
      await new Promise<void>((resolve) => log.end(resolve));
    },
  };
}
