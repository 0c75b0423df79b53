// The worker side of WorkerPool's message protocol: a worker announces that its modules loaded, then
// answers one job message at a time with its result (buffers transferred) or its error as JSON.

import type { MessagePort, TransferListItem } from 'node:worker_threads';
import { VoxlabError, type VoxlabErrorJson } from '../common/errors.js';

/** Main thread → worker: one job. `id` is echoed back so the pool can check the pairing. */
export interface JobMessage<J> {
  readonly id: number;
  readonly job: J;
}

/**
 * Worker → main thread. `ready` comes once, after the worker's modules loaded and before any reply;
 * every job gets exactly one `done` or `failed` with its id. Errors travel as VoxlabError.toJSON(), so
 * the code, message and details survive (the cause and stack stay in the worker).
 */
export type ReplyMessage<R> =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly id: number; readonly result: R }
  | { readonly type: 'failed'; readonly id: number; readonly error: VoxlabErrorJson };

/** What a job handler returns: the result and the buffers inside it to transfer instead of copying. */
export interface HandledJob<R> {
  readonly result: R;
  readonly transfer: readonly TransferListItem[];
}

/**
 * `e` as a VoxlabError: itself when it is one, else INTERNAL (a bug: only coded errors are expected)
 * with `context` and the original message, keeping `e` as the cause.
 */
export function asVoxlabError(e: unknown, context: string): VoxlabError {
  if (e instanceof VoxlabError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new VoxlabError('INTERNAL', `${context}: ${message}`, undefined, { cause: e });
}

/**
 * Serves jobs arriving on `port` (a worker's parentPort) with `handler`, then posts `ready`. Each job
 * is answered once: `done` with the result, its `transfer` list moved to the main thread (the worker
 * must not touch those buffers again), or `failed` with asVoxlabError(error) as JSON. A result that
 * cannot be posted (e.g. not cloneable) is answered with `failed` as INTERNAL. The pool sends a worker
 * one job at a time; the handler may be async.
 */
export function serveJobs<J, R>(port: MessagePort, handler: (job: J) => Promise<HandledJob<R>>): void {
  port.on('message', (message: JobMessage<J>) => {
    void answer(port, message, handler);
  });
  port.postMessage({ type: 'ready' } satisfies ReplyMessage<R>);
}

async function answer<J, R>(
  port: MessagePort,
  { id, job }: JobMessage<J>,
  handler: (job: J) => Promise<HandledJob<R>>,
): Promise<void> {
  try {
    const { result, transfer } = await handler(job);
    port.postMessage({ type: 'done', id, result } satisfies ReplyMessage<R>, [...transfer]);
  } catch (e) {
    const error = asVoxlabError(e, 'worker job failed').toJSON();
    port.postMessage({ type: 'failed', id, error } satisfies ReplyMessage<R>);
  }
}
