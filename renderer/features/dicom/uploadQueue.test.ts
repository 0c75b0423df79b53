// The upload queue: never more than four in flight, progress after every file, the first failure stops it,
// cancel stops it after the files in flight.

import { describe, expect, it } from 'vitest';
import { UPLOAD_CONCURRENCY, uploadAll, type UploadProgress } from './uploadQueue.js';

/** A sender whose calls finish when the test says so, recording how many ran at once. */
function gatedSender(failAt: number | null = null) {
  const waiting: (() => void)[] = [];
  const started: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const send = (item: number, index: number) =>
    new Promise<number>((resolve, reject) => {
      started.push(index);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      waiting.push(() => {
        inFlight -= 1;
        if (index === failAt) reject(Object.assign(new Error('cannot reach the server'), { code: 'IO_ERROR' }));
        else resolve(item);
      });
    });
  /** Lets the oldest waiting call finish, then gives the queue a turn. */
  const release = async (n = 1) => {
    for (let i = 0; i < n; i++) {
      waiting.shift()?.();
      await new Promise((r) => setTimeout(r, 0));
    }
  };
  return { send, release, started, get maxInFlight() { return maxInFlight; }, get waiting() { return waiting.length; } };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('uploadAll', () => {
  it('sends every item with at most four in flight and reports each one', async () => {
    const items = Array.from({ length: 11 }, (_, i) => 100 + i);
    const gate = gatedSender();
    const seen: UploadProgress[] = [];
    const done = uploadAll(items, gate.send, { onProgress: (p) => seen.push(p) });
    await settle();
    expect(gate.started).toEqual([0, 1, 2, 3]);
    while (gate.waiting > 0) await gate.release();
    const final = await done;
    expect(UPLOAD_CONCURRENCY).toBe(4);
    expect(gate.maxInFlight).toBe(4);
    expect(gate.started).toEqual(items.map((_, i) => i));
    expect(final).toEqual({ done: 11, total: 11, bytes: items.reduce((a, b) => a + b, 0) });
    expect(seen.map((p) => p.done)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(seen.every((p) => p.total === 11)).toBe(true);
  });

  it('stops starting files after the first failure, lets those in flight finish, and rejects with it', async () => {
    const gate = gatedSender(1);
    const seen: UploadProgress[] = [];
    const done = uploadAll(Array.from({ length: 20 }, () => 1), gate.send, { onProgress: (p) => seen.push(p) });
    const outcome = done.then(() => null, (e: unknown) => e);
    await settle();
    await gate.release(2); // item 0 succeeds (item 4 starts), item 1 fails
    while (gate.waiting > 0) await gate.release();
    const error = (await outcome) as { code?: string } | null;
    expect(error?.code).toBe('IO_ERROR');
    expect(gate.started).toEqual([0, 1, 2, 3, 4]);
    expect(seen.at(-1)!.done).toBe(4);
  });

  it('cancels: nothing new starts after abort, and it rejects with CANCELLED once the files in flight are done', async () => {
    const gate = gatedSender();
    const controller = new AbortController();
    const done = uploadAll(Array.from({ length: 30 }, () => 1), gate.send, { signal: controller.signal });
    const outcome = done.then(() => null, (e: unknown) => e);
    await settle();
    await gate.release(3);
    controller.abort();
    while (gate.waiting > 0) await gate.release();
    const error = (await outcome) as { code?: string; message?: string } | null;
    expect(error?.code).toBe('CANCELLED');
    expect(error?.message).toMatch(/after 7 of 30 files/);
    expect(gate.started).toHaveLength(7);
  });

  it('resolves at once for nothing to send and refuses a concurrency below 1', async () => {
    await expect(uploadAll([], async () => 0)).resolves.toEqual({ done: 0, total: 0, bytes: 0 });
    await expect(uploadAll([1], async () => 0, { concurrency: 0 })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });
});
