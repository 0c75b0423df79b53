// Sends many files with a few in flight at once (4: enough to hide the round trip on a LAN or localhost
// without making the server write dozens of files at the same moment), with progress, cancel by AbortSignal,
// and the first failure stopping the queue. Generic: the caller says how one item is sent.

import { VoxlabError } from '../../../core/common/errors.js';

/** Files sent at once (see the header). */
export const UPLOAD_CONCURRENCY = 4;

export interface UploadProgress {
  /** Items the server has taken. */
  readonly done: number;
  readonly total: number;
  /** Bytes of the items taken. */
  readonly bytes: number;
}

export interface UploadOptions {
  readonly concurrency?: number;
  /** Aborting stops new sends; the queue waits for those in flight, then rejects with CANCELLED. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: UploadProgress) => void;
}

/**
 * Sends every item through `send` (which resolves with the bytes it sent), at most `concurrency` at a time,
 * in order of start. Resolves with the final progress. On the first failure no new item starts, the ones in
 * flight finish, and the promise rejects with that failure; on abort it rejects with VoxlabError CANCELLED.
 */
export async function uploadAll<T>(
  items: readonly T[],
  send: (item: T, index: number) => Promise<number>,
  options: UploadOptions = {},
): Promise<UploadProgress> {
  const concurrency = options.concurrency ?? UPLOAD_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new VoxlabError('BAD_ARGUMENT', `uploadAll: concurrency must be a whole number ≥ 1, got ${concurrency}`);
  const total = items.length;
  let next = 0;
  let done = 0;
  let bytes = 0;
  const failures: unknown[] = [];
  const stopped = () => failures.length > 0 || options.signal?.aborted === true;
  const worker = async (): Promise<void> => {
    while (!stopped() && next < total) {
      const index = next++;
      try {
        // Not `bytes += await send(...)`: that reads `bytes` before the await and loses the other workers' sums.
        const sent = await send(items[index]!, index);
        bytes += sent;
        done += 1;
        options.onProgress?.({ done, total, bytes });
      } catch (error) {
        failures.push(error);
      }
    }
  };
  options.onProgress?.({ done, total, bytes });
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  if (failures.length > 0) throw failures[0];
  if (options.signal?.aborted === true) throw new VoxlabError('CANCELLED', `Upload cancelled after ${done} of ${total} files`);
  return { done, total, bytes };
}
