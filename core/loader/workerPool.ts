// A fixed set of worker threads that run jobs one at a time each, fed from a bounded queue (the idea of
// PyTorch's DataLoader workers and Piscina). Knows nothing about images: the worker module decides what a
// job is, speaking serveJobs.ts's protocol.

import { Worker } from 'node:worker_threads';
import { VoxlabError } from '../common/errors.js';
import { cancelled, queueFull, type JobRunner, type PoolStats, type Task } from './jobRunner.js';
import type { JobMessage, ReplyMessage } from './serveJobs.js';

/** Workers that die before they report ready, in a row, after which the pool gives up. */
const MAX_START_FAILURES = 3;

export interface WorkerPoolOptions {
  /** The worker module (compiled .js), which calls serveJobs(parentPort, ...). */
  readonly url: URL;
  /** Worker threads, at least 1. */
  readonly workers: number;
  /** Given to every worker as `workerData` (structured-cloned). */
  readonly workerData: unknown;
  /** Most jobs waiting for a free worker; run() beyond that rejects with BAD_ARGUMENT. */
  readonly maxQueue: number;
  /** Names the pool in error messages, e.g. 'PreprocessPool'. */
  readonly name: string;
}

/** One worker thread and the job it is doing. */
interface Slot<J, R> {
  readonly index: number;
  readonly worker: Worker;
  task: Task<J, R> | null;
  /** The id sent with `task`. */
  id: number;
  ready: boolean;
  /** False once the pool ended this worker for breaking the protocol; it gets no more jobs. */
  alive: boolean;
  /** The worker's uncaught error, if it had one; its 'exit' follows. */
  error: Error | null;
}

/**
 * Runs jobs on `workers` threads, one job per thread at a time, so at most `workers` jobs hold memory
 * in the workers; waiting jobs are only their (small) job messages, at most `maxQueue` of them.
 * Results come back as the worker posted them (transferred buffers are moved, not copied).
 *
 * Failures: a job's error rejects that job only (the worker goes on). A worker that exits or throws an
 * uncaught error rejects its running job with INTERNAL and is replaced; a job given to a worker that
 * died before it was ready goes back to the queue. After MAX_START_FAILURES workers in a row die before
 * ready (e.g. the module does not load), the pool stops and every job rejects with INTERNAL.
 * Workers are unref'd while idle and ready, so an idle pool does not keep the process alive (a pending
 * job or ready() does); close() ends them.
 */
export class WorkerPool<J, R> implements JobRunner<J, R> {
  private readonly slots: Slot<J, R>[] = [];
  private readonly queue: Task<J, R>[] = [];
  private readonly done: number[];
  private readyWaiters: { resolve: () => void; reject: (e: VoxlabError) => void }[] = [];
  private stopped: VoxlabError | null = null;
  private closing: Promise<void> | null = null;
  private nextId = 1;
  private startFailures = 0;
  private restarts = 0;

  constructor(private readonly options: WorkerPoolOptions) {
    this.done = new Array<number>(options.workers).fill(0);
    for (let i = 0; i < options.workers; i++) this.slots.push(this.spawn(i));
  }

  run(job: J, label: string): Promise<R> {
    if (this.stopped !== null) return Promise.reject(this.stopped);
    if (this.queue.length >= this.options.maxQueue) {
      return Promise.reject(queueFull(this.options.name, this.options.maxQueue, label));
    }
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ job, label, resolve, reject });
      this.dispatch();
    });
  }

  ready(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.readyWaiters.push({ resolve, reject });
      this.settleReadyWaiters();
    });
  }

  close(): Promise<void> {
    this.closing ??= this.stop(new VoxlabError('CANCELLED', `${this.options.name}: the pool is closed`));
    return this.closing;
  }

  stats(): PoolStats {
    const running = this.slots.filter((s) => s.task !== null).length;
    const { workers } = this.options;
    return { mode: 'threads', workers, queued: this.queue.length, running, done: [...this.done], restarts: this.restarts };
  }

  private spawn(index: number): Slot<J, R> {
    const worker = new Worker(this.options.url, { workerData: this.options.workerData });
    const slot: Slot<J, R> = { index, worker, task: null, id: 0, ready: false, alive: true, error: null };
    worker.on('message', (message: ReplyMessage<R>) => this.onMessage(slot, message));
    // Recorded for the 'exit' that follows, which rejects the job and replaces the worker.
    worker.on('error', (error: Error) => (slot.error ??= error));
    worker.on('messageerror', (error: Error) => this.kill(slot, error));
    worker.on('exit', (code: number) => this.onExit(slot, code));
    return slot;
  }

  /** Gives waiting jobs to idle workers (ones not yet ready too: their messages wait in their port). */
  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.task !== null || !slot.alive) continue;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.id = this.nextId++;
      slot.worker.ref();
      try {
        slot.worker.postMessage({ id: slot.id, job: task.job } satisfies JobMessage<J>);
      } catch (e) {
        slot.task = null;
        task.reject(new VoxlabError('INTERNAL', `${this.options.name}: cannot send the job for ${task.label}: ${String(e)}`));
      }
    }
  }

  private onMessage(slot: Slot<J, R>, message: ReplyMessage<R>): void {
    if (message.type === 'ready') {
      slot.ready = true;
      this.startFailures = 0;
      if (slot.task === null) slot.worker.unref();
      this.settleReadyWaiters();
      return;
    }
    const task = slot.task;
    if (task === null || message.id !== slot.id) {
      this.kill(slot, new Error(`reply ${message.id} does not match the job sent (${task === null ? 'none' : slot.id})`));
      return;
    }
    slot.task = null;
    this.done[slot.index]!++;
    if (message.type === 'done') task.resolve(message.result);
    else task.reject(VoxlabError.fromJSON(message.error));
    if (this.queue.length === 0) slot.worker.unref();
    else this.dispatch();
  }

  /** Ends a worker that broke the protocol; its 'exit' then treats it as a crash. */
  private kill(slot: Slot<J, R>, error: Error): void {
    slot.error ??= error;
    slot.alive = false;
    void slot.worker.terminate();
  }

  private onExit(slot: Slot<J, R>, code: number): void {
    if (this.stopped !== null) return; // close() or a start failure ended it and settled its job
    const task = slot.task;
    slot.task = null;
    const why = slot.error?.message ?? `exit code ${code}`;
    const { name } = this.options;
    if (!slot.ready) {
      if (task !== null) this.queue.unshift(task);
      if (++this.startFailures >= MAX_START_FAILURES) {
        const error = new VoxlabError('INTERNAL', `${name}: worker threads fail to start (${why})`, { exitCode: code });
        void this.stop(error);
        return;
      }
    } else if (task !== null) {
      const message = `${name}: worker ${slot.index} stopped (${why}) while loading ${task.label}`;
      task.reject(new VoxlabError('INTERNAL', message, { file: task.label, exitCode: code }, { cause: slot.error }));
    }
    this.restarts++;
    this.slots[slot.index] = this.spawn(slot.index);
    this.dispatch();
  }

  /** Stops for good: every waiting and running job and every later call rejects; workers are ended. */
  private async stop(reason: VoxlabError): Promise<void> {
    this.stopped ??= reason;
    const jobError = (task: Task<J, R>): VoxlabError =>
      reason.code === 'CANCELLED' ? cancelled(this.options.name, task.label) : reason;
    for (const task of this.queue.splice(0)) task.reject(jobError(task));
    for (const slot of this.slots) {
      if (slot.task !== null) slot.task.reject(jobError(slot.task));
      slot.task = null;
    }
    this.settleReadyWaiters();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private settleReadyWaiters(): void {
    if (this.stopped === null && !this.slots.every((s) => s.ready)) return;
    for (const waiter of this.readyWaiters.splice(0)) {
      if (this.stopped === null) waiter.resolve();
      else waiter.reject(this.stopped);
    }
  }
}
