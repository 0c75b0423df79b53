// Loads and preprocesses NIfTI files on worker threads, like a PyTorch DataLoader with workers: each
// worker reads a file and runs seedPreprocess, and the tensor's buffer is transferred back, not copied.

import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { assert } from '../common/errors.js';
import type { Tensor } from '../transforms/tensor.js';
import { SerialRunner, type JobRunner, type PoolStats } from './jobRunner.js';
import { PREPROCESS_WORKER_KIND, preprocessFile, type PreprocessJob, type PreprocessWorkerData } from './preprocessWorker.js';
import { WorkerPool } from './workerPool.js';

/**
 * The compiled worker module beside this file. It exists under dist/ (after `tsc -p tsconfig.build.json`),
 * not beside the .ts sources that vitest runs; then the pool works in-process.
 */
const WORKER_URL = new URL('./preprocessWorker.js', import.meta.url);
/** Default most jobs waiting for a worker: job messages are small; the bound catches callers that never await. */
const DEFAULT_MAX_QUEUE = 1024;
const NAME = 'PreprocessPool';

export interface PreprocessPoolOptions {
  /** Edge of the cubic output tensor [1, size, size, size], a positive integer (e.g. 96). */
  readonly size: number;
  /** Worker threads; default os.availableParallelism(). 0 runs the jobs in-process, one at a time. */
  readonly workers?: number;
  /** Most load() calls waiting for a free worker (default 1024); one more rejects with BAD_ARGUMENT. */
  readonly maxQueue?: number;
}

export interface LoadOptions {
  /** Which 3D volume of a 4D file (0-based, default 0). */
  readonly frame?: number;
}

export interface LoadManyOptions extends LoadOptions {
  /** Called after each file is loaded, with how many are done and the total; a throw rejects loadMany. */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * A pool that turns NIfTI paths into network inputs: readNifti(file, { frame }) then
 * seedPreprocess(volume, size), giving a tensor [1, size, size, size] in C order (channel-first, axes =
 * the file's voxel axes i, j, k; see seedPreprocess), equal bit for bit to calling them directly.
 *
 * Threads or in-process: with `workers` > 0 and the compiled preprocessWorker.js beside this module
 * (dist/), jobs run on that many worker threads, one file per worker at a time. With `workers: 0`, or
 * when that .js file does not exist (e.g. under vitest, which runs the .ts sources), the same API runs
 * the jobs in-process one at a time; `mode` and `workers` say which happened.
 *
 * Memory: at most one decoded volume per worker (one in-process); waiting jobs are just paths, at most
 * `maxQueue`; loadMany has at most 2 jobs per worker (running or waiting) at a time. Results belong to
 * the caller: each tensor owns its buffer.
 *
 * Errors (always VoxlabError): a file's error rejects that load with the code, message and details
 * that readNifti or seedPreprocess threw (NOT_FOUND, NOT_NIFTI, ...); the worker goes on with the next
 * job. A worker that crashes rejects its running job with INTERNAL and is replaced. BAD_ARGUMENT for
 * bad options or a full queue. After close(), every pending and later call rejects with CANCELLED.
 */
export class PreprocessPool {
  readonly size: number;
  /** 'threads' or 'in-process' (see above). */
  readonly mode: 'threads' | 'in-process';
  /** Worker threads in use (0 in-process). */
  readonly workers: number;
  private readonly maxQueue: number;
  private readonly runner: JobRunner<PreprocessJob, Tensor>;

  /** Throws BAD_ARGUMENT for a size, workers or maxQueue that is not a valid count. */
  constructor(options: PreprocessPoolOptions) {
    const { size, workers = os.availableParallelism(), maxQueue = DEFAULT_MAX_QUEUE } = options;
    assert(Number.isInteger(size) && size > 0, () => `${NAME}: size must be a positive integer, got ${size}`);
    assert(Number.isInteger(workers) && workers >= 0, () => `${NAME}: workers must be an integer >= 0, got ${workers}`);
    assert(
      (Number.isInteger(maxQueue) && maxQueue > 0) || maxQueue === Infinity,
      () => `${NAME}: maxQueue must be a positive integer or Infinity, got ${maxQueue}`,
    );
    this.size = size;
    this.maxQueue = maxQueue;
    if (workers > 0 && existsSync(fileURLToPath(WORKER_URL))) {
      const workerData: PreprocessWorkerData = { kind: PREPROCESS_WORKER_KIND, size };
      this.runner = new WorkerPool({ url: WORKER_URL, workers, workerData, maxQueue, name: NAME });
      this.mode = 'threads';
      this.workers = workers;
    } else {
      this.runner = new SerialRunner(NAME, (job: PreprocessJob) => preprocessFile(job, size), maxQueue);
      this.mode = 'in-process';
      this.workers = 0;
    }
  }

  /** Resolves once every worker has loaded its modules (use it to keep start-up out of timings). */
  ready(): Promise<void> {
    return this.runner.ready();
  }

  /** Reads and preprocesses one file: a tensor [1, size, size, size] whose buffer the caller owns. */
  async load(file: string, options: LoadOptions = {}): Promise<Tensor> {
    assert(typeof file === 'string' && file.length > 0, () => `${NAME}.load: file must be a non-empty path, got ${String(file)}`);
    const { frame } = options;
    return this.runner.run(frame === undefined ? { file } : { file, frame }, file);
  }

  /**
   * load() for each file, results in the order of `files`. At most 2 jobs per worker are running or
   * waiting at a time, so any number of files fits maxQueue. Rejects with the first error; files not yet started are
   * then not loaded.
   */
  async loadMany(files: readonly string[], options: LoadManyOptions = {}): Promise<Tensor[]> {
    assert(Array.isArray(files), () => `${NAME}.loadMany: files must be an array of paths, got ${String(files)}`);
    const { onProgress, ...loadOptions } = options;
    const results = new Array<Tensor>(files.length);
    let next = 0;
    let done = 0;
    let failed = false;
    const lane = async (): Promise<void> => {
      try {
        while (!failed && next < files.length) {
          const i = next++;
          results[i] = await this.load(files[i]!, loadOptions);
          onProgress?.(++done, files.length);
        }
      } catch (e) {
        failed = true; // the other lanes stop taking files
        throw e;
      }
    };
    const slots = Math.max(1, this.workers);
    const lanes = Math.min(files.length, 2 * slots, slots + this.maxQueue);
    await Promise.all(Array.from({ length: lanes }, lane));
    return results;
  }

  /** Ends the workers; pending loads reject with CANCELLED, and so does every later call. Idempotent. */
  close(): Promise<void> {
    return this.runner.close();
  }

  /** Queue and per-worker counters (see PoolStats). */
  stats(): PoolStats {
    return this.runner.stats();
  }
}
