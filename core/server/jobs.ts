// Long operations as jobs: an id, progress, cancel through an AbortSignal, and a result or a coded error.
// Every state change is published as a `job` event; finished jobs are kept (the last 100) for jobs.get.

import { randomUUID } from 'node:crypto';
import { VoxlabError, isVoxlabError } from '../common/errors.js';
import type { JobInfo, JobKind, Json } from '../api/index.js';
import type { EventHub } from './events.js';

/** What a job's work gets: a signal to stop on, a progress reporter and its own id. */
export interface JobContext {
  readonly id: string;
  readonly signal: AbortSignal;
  progress(fraction: number | null, message: string): void;
}

interface Entry {
  info: JobInfo;
  readonly controller: AbortController;
  /** Extra results kept beside the JSON (e.g. an explanation map), for binary methods. */
  attachment: unknown;
}

const KEEP_FINISHED = 100;
/** Progress events at most this often per job (ms); state changes are always sent. */
const PROGRESS_INTERVAL_MS = 100;

export class JobManager {
  private readonly jobs = new Map<string, Entry>();
  private readonly lastSent = new Map<string, number>();

  constructor(private readonly events: EventHub) {}

  /**
   * Starts `work` as a job of `kind` and returns its info at once. `work` resolves with the JSON result
   * (and optionally an attachment); a CANCELLED rejection after cancel() makes the state 'cancelled'.
   */
  start(
    kind: JobKind,
    subject: Json,
    work: (ctx: JobContext) => Promise<{ result: Json; attachment?: unknown }>,
  ): JobInfo {
    const id = randomUUID();
    const controller = new AbortController();
    const info: JobInfo = {
      id,
      kind,
      state: 'running',
      progress: { fraction: 0, message: 'starting' },
      createdAt: new Date().toISOString(),
      finishedAt: null,
      subject,
      result: null,
      error: null,
    };
    const entry: Entry = { info, controller, attachment: undefined };
    this.jobs.set(id, entry);
    const ctx: JobContext = {
      id,
      signal: controller.signal,
      progress: (fraction, message) => {
        if (entry.info.state !== 'running') return;
        entry.info = { ...entry.info, progress: { fraction, message } };
        const now = Date.now();
        if (now - (this.lastSent.get(id) ?? 0) >= PROGRESS_INTERVAL_MS || fraction === 1) {
          this.lastSent.set(id, now);
          this.events.publish({ type: 'job', job: entry.info });
        }
      },
    };
    this.events.publish({ type: 'job', job: info });
    // Started on the next turn so that the caller gets the job id before any event about its end.
    setImmediate(() => {
      work(ctx).then(
        (done) =>
          this.finish(
            entry,
            { state: 'done', result: done.result, progress: { fraction: 1, message: 'done' } },
            done.attachment,
          ),
        (e: unknown) => {
          const error = isVoxlabError(e)
            ? VoxlabError.fromJSON(e.toJSON())
            : new VoxlabError('INTERNAL', `${kind} job failed: ${(e as Error)?.message ?? String(e)}`);
          const state = error.code === 'CANCELLED' && controller.signal.aborted ? 'cancelled' : 'failed';
          this.finish(entry, {
            state,
            error: error.toJSON(),
            progress: { ...entry.info.progress, message: error.message },
          });
          if (!isVoxlabError(e))
            process.emitWarning(`voxlab: ${kind} job ${id} failed: ${(e as Error)?.stack ?? String(e)}`);
        },
      );
    });
    return info;
  }

  private finish(entry: Entry, change: Partial<JobInfo>, attachment?: unknown): void {
    entry.info = { ...entry.info, ...change, finishedAt: new Date().toISOString() };
    entry.attachment = attachment;
    this.lastSent.delete(entry.info.id);
    this.events.publish({ type: 'job', job: entry.info });
    const finished = [...this.jobs.values()].filter((e) => e.info.state !== 'running');
    for (const old of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED)))
      this.jobs.delete(old.info.id);
  }

  /** The job. Throws NOT_FOUND. */
  get(id: string): JobInfo {
    return this.entry(id).info;
  }

  /** The attachment of a finished job (e.g. an explanation map). Throws NOT_FOUND when the job is unknown or unfinished. */
  attachment(id: string): unknown {
    const entry = this.entry(id);
    if (entry.info.state !== 'done')
      throw new VoxlabError('NOT_FOUND', `Job ${id} has not finished (${entry.info.state})`, { jobId: id });
    return entry.attachment;
  }

  /** Jobs, oldest first. */
  list(): JobInfo[] {
    return [...this.jobs.values()].map((e) => e.info);
  }

  /** The running jobs of `kind`. */
  running(kind: JobKind): JobInfo[] {
    return this.list().filter((j) => j.kind === kind && j.state === 'running');
  }

  /** Asks a running job to stop (it ends as 'cancelled' once its work notices); returns its info. Throws NOT_FOUND. */
  cancel(id: string): JobInfo {
    const entry = this.entry(id);
    if (entry.info.state === 'running') entry.controller.abort();
    return entry.info;
  }

  /** Cancels every running job and waits (up to `ms`) for them to end. */
  async shutdown(ms = 10_000): Promise<void> {
    const running = [...this.jobs.values()].filter((e) => e.info.state === 'running');
    for (const e of running) e.controller.abort();
    const deadline = Date.now() + ms;
    while (running.some((e) => e.info.state === 'running') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
  }

  private entry(id: string): Entry {
    const entry = this.jobs.get(id);
    if (entry === undefined) throw new VoxlabError('NOT_FOUND', `There is no job "${id}"`, { jobId: id });
    return entry;
  }
}
