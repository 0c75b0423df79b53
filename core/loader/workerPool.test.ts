// WorkerPool's failure handling, with a worker that fails on request (testing/crashWorker.ts, built to
// plain ES modules by buildChild since worker threads cannot run .ts), and serveJobs's protocol.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VoxlabError } from '../common/errors.js';
import { buildChild } from '../datastore/testing/buildChild.js';
import { serveJobs, type ReplyMessage } from './serveJobs.js';
import type { CrashJob, CrashResult } from './testing/crashWorker.js';
import { WorkerPool } from './workerPool.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
let tmp: string;
let workerUrl: URL;
const pools: WorkerPool<CrashJob, CrashResult>[] = [];

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'voxlab-pool-'));
  workerUrl = pathToFileURL(buildChild(path.join(REPO_ROOT, 'core/loader/testing/crashWorker.ts'), REPO_ROOT, tmp));
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function makePool(workers = 2, maxQueue = 100, failAtStart = false): WorkerPool<CrashJob, CrashResult> {
  const pool = new WorkerPool<CrashJob, CrashResult>({ url: workerUrl, workers, workerData: { failAtStart }, maxQueue, name: 'TestPool' });
  pools.push(pool);
  return pool;
}

const echo = (value: number, delayMs = 0): CrashJob => ({ action: 'echo', value, delayMs });

describe('WorkerPool', () => {
  it('runs jobs on every worker and returns their transferred results', async () => {
    const pool = makePool(2);
    await pool.ready();
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((v) => pool.run(echo(v, 20), `job ${v}`)));
    expect(results.map((r) => r.data[0])).toEqual([2, 4, 6, 8, 10, 12]);
    expect(new Set(results.map((r) => r.threadId)).size).toBe(2);
    expect(pool.stats()).toMatchObject({ mode: 'threads', workers: 2, queued: 0, running: 0, done: [3, 3], restarts: 0 });
  });

  it.each([
    ['coded', { code: 'NOT_NIFTI', message: 'crashWorker: coded failure', details: { file: 'x.nii' } }],
    ['uncoded', { code: 'INTERNAL', message: 'worker job failed: crashWorker: uncoded failure' }],
  ] as const)('rejects a job whose handler throws (%s) and the worker goes on', async (action, expected) => {
    const pool = makePool(1);
    const error = await pool.run({ action }, action).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VoxlabError);
    expect(error).toMatchObject(expected);
    expect((await pool.run(echo(21), 'after')).data[0]).toBe(42);
    expect(pool.stats().restarts).toBe(0);
  });

  it.each([
    ['exit', /TestPool: worker \d stopped \(exit code 3\) while loading boom/],
    ['uncaught', /TestPool: worker \d stopped \(crashWorker: uncaught failure\) while loading boom/],
  ] as const)('rejects the job of a worker that dies (%s) with INTERNAL and replaces it', async (action, message) => {
    const pool = makePool(2);
    const slow = pool.run(echo(5, 300), 'slow');
    await expect(pool.run({ action }, 'boom')).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(message) });
    expect((await slow).data[0]).toBe(10);
    const after = await Promise.all([1, 2, 3, 4].map((v) => pool.run(echo(v, 20), `after ${v}`)));
    expect(after.map((r) => r.data[0])).toEqual([2, 4, 6, 8]);
    expect(new Set(after.map((r) => r.threadId)).size).toBe(2);
    expect(pool.stats().restarts).toBe(1);
  });

  it('stops with INTERNAL when its workers cannot start, instead of restarting forever', async () => {
    const pool = makePool(2, 100, true);
    const expected = { code: 'INTERNAL', message: expect.stringMatching(/workers? .*fail to start \(crashWorker: failing at start/) };
    await expect(pool.run(echo(1), 'first')).rejects.toMatchObject(expected);
    await expect(pool.ready()).rejects.toMatchObject(expected);
    await expect(pool.run(echo(2), 'later')).rejects.toMatchObject(expected);
    expect(pool.stats().restarts).toBeLessThan(3);
  });

  it('rejects more than maxQueue waiting jobs with BAD_ARGUMENT', async () => {
    const pool = makePool(1, 1);
    const running = pool.run(echo(1, 100), 'running');
    const queued = pool.run(echo(2), 'queued');
    await expect(pool.run(echo(3), 'third')).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringContaining('maxQueue') });
    expect((await running).data[0]).toBe(2);
    expect((await queued).data[0]).toBe(4);
  });

  it('close() cancels running and queued jobs, ends the workers and refuses later calls', async () => {
    const pool = makePool(1);
    await pool.ready();
    const running = pool.run(echo(1, 5000), 'running').catch((e: unknown) => e);
    const queued = pool.run(echo(2), 'queued').catch((e: unknown) => e);
    const started = Date.now();
    await pool.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await running).toMatchObject({ code: 'CANCELLED', message: 'TestPool: closed before running was loaded' });
    expect(await queued).toMatchObject({ code: 'CANCELLED' });
    await expect(pool.run(echo(3), 'later')).rejects.toMatchObject({ code: 'CANCELLED', message: 'TestPool: the pool is closed' });
    await expect(pool.ready()).rejects.toMatchObject({ code: 'CANCELLED' });
    await pool.close();
  });
});

describe('serveJobs', () => {
  it('posts ready, then transfers result buffers (the worker copy is detached) or the error as JSON', async () => {
    const { port1, port2 } = new MessageChannel();
    const sent: Float32Array[] = [];
    serveJobs<number, Float32Array>(port1, async (n) => {
      if (n < 0) throw new VoxlabError('BAD_VALUES', `negative ${n}`, { n });
      const data = new Float32Array(4).fill(n);
      sent.push(data);
      return { result: data, transfer: [data.buffer] };
    });
    const replies: ReplyMessage<Float32Array>[] = [];
    const got = new Promise<void>((resolve) =>
      port2.on('message', (m: ReplyMessage<Float32Array>) => replies.push(m) === 3 && resolve()),
    );
    port2.postMessage({ id: 1, job: 7 });
    port2.postMessage({ id: 2, job: -1 });
    await got;
    port1.close();
    expect(replies[0]).toEqual({ type: 'ready' });
    expect(replies[1]).toEqual({ type: 'done', id: 1, result: new Float32Array(4).fill(7) });
    expect(sent[0]!.byteLength).toBe(0); // transferred, not copied
    expect(replies[2]).toEqual({ type: 'failed', id: 2, error: { name: 'VoxlabError', code: 'BAD_VALUES', message: 'negative -1', details: { n: -1 } } });
  });
});
