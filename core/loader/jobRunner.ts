// What PreprocessPool runs its jobs on: the JobRunner contract, shared by the worker-thread pool
// (workerPool.ts) and the in-process SerialRunner below, which does the same jobs one at a time.

import { VoxlabError } from '../common/errors.js';
import { asVoxlabError } from './serveJobs.js';

/** Counters of a runner, for progress displays, benchmarks and tests. */
export interface PoolStats {
  /** 'threads' for worker threads, 'in-process' for the serial fallback. */
  readonly mode: 'threads' | 'in-process';
  /** Worker threads (0 in-process). */
  readonly workers: number;
  /** Jobs waiting for a worker (not counting those running). */
  readonly queued: number;
  /** Jobs being worked on now (at most one per worker; at most 1 in-process). */
  readonly running: number;
  /** Jobs finished (result or error) by each worker slot; one entry in-process. */
  readonly done: readonly number[];
  /** Workers that died and were replaced. */
  readonly restarts: number;
}

/**
 * Runs jobs of type J to results of type R. Every promise settles exactly once: the result, the job's
 * own VoxlabError (same code, message, details), INTERNAL for a crash or bug, BAD_ARGUMENT when more
 * than maxQueue jobs would wait, or CANCELLED once close() was called (also for every later run).
 */
export interface JobRunner<J, R> {
  /** Queues `job`; `label` names it in error messages (e.g. the file path). */
  run(job: J, label: string): Promise<R>;
  /** Resolves once every worker loaded its modules (at once in-process); rejects if the runner stops. */
  ready(): Promise<void>;
  /** Stops: queued and running jobs reject with CANCELLED; resolves when the workers are gone. Idempotent. */
  close(): Promise<void>;
  stats(): PoolStats;
}

/** A job waiting or running, with the callbacks of its promise. */
export interface Task<J, R> {
  readonly job: J;
  readonly label: string;
  readonly resolve: (result: R) => void;
  readonly reject: (error: VoxlabError) => void;
}

/** The error for jobs refused because `maxQueue` jobs already wait. */
export function queueFull(name: string, maxQueue: number, label: string): VoxlabError {
  return new VoxlabError(
    'BAD_ARGUMENT',
    `${name}: ${maxQueue} jobs already wait (maxQueue); await earlier loads before queueing ${label}`,
    { maxQueue },
  );
}

/**
 * The in-process runner: the same jobs, one at a time on this thread (an awaited chain), so at most one
 * decoded volume is alive. Errors that are not VoxlabErrors become INTERNAL, as in a worker.
 */
export class SerialRunner<J, R> implements JobRunner<J, R> {
  private readonly queue: Task<J, R>[] = [];
  private running: Task<J, R> | null = null;
  private finished: Promise<void> = Promise.resolve();
  private stopped: VoxlabError | null = null;
  private done = 0;

  constructor(
    private readonly name: string,
    private readonly work: (job: J) => Promise<R>,
    private readonly maxQueue: number,
  ) {}

  run(job: J, label: string): Promise<R> {
    if (this.stopped !== null) return Promise.reject(this.stopped);
    if (this.queue.length >= this.maxQueue) {
      return Promise.reject(queueFull(this.name, this.maxQueue, label));
    }
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ job, label, resolve, reject });
      if (this.running === null) this.finished = this.drain();
    });
  }

  ready(): Promise<void> {
    return this.stopped === null ? Promise.resolve() : Promise.reject(this.stopped);
  }

  async close(): Promise<void> {
    if (this.stopped === null) {
      this.stopped = new VoxlabError('CANCELLED', `${this.name}: the pool is closed`);
      for (const task of this.queue.splice(0)) task.reject(cancelled(this.name, task.label));
    }
    await this.finished;
  }

  stats(): PoolStats {
    const running = this.running === null ? 0 : 1;
    return { mode: 'in-process', workers: 0, queued: this.queue.length, running, done: [this.done], restarts: 0 };
  }

  /** Works through the queue; a job finishing after close() rejects with CANCELLED instead. */
  private async drain(): Promise<void> {
    for (let task = this.queue.shift(); task !== undefined; task = this.queue.shift()) {
      this.running = task;
      let outcome: { ok: true; result: R } | { ok: false; error: VoxlabError };
      try {
        outcome = { ok: true, result: await this.work(task.job) };
      } catch (e) {
        outcome = { ok: false, error: asVoxlabError(e, `${this.name}: loading ${task.label} failed`) };
      }
      this.running = null;
      this.done++;
      if (this.stopped !== null) task.reject(cancelled(this.name, task.label));
      else if (outcome.ok) task.resolve(outcome.result);
      else task.reject(outcome.error);
    }
  }
}

/** The error of a job that close() stopped. */
export function cancelled(name: string, label: string): VoxlabError {
  return new VoxlabError('CANCELLED', `${name}: closed before ${label} was loaded`, { file: label });
}
