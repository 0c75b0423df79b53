// PreprocessPool on both paths — in-process, and real worker threads running the pool built to plain ES
// modules by buildChild — against seedPreprocess(readNifti(f)) on shared IXI scans: exact equality,
// order, error codes, frames, queue bounds and close().

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNifti } from '../io/readNifti.js';
import { seedPreprocess } from '../transforms/seedPreprocess.js';
import type { Tensor } from '../transforms/tensor.js';
import { buildChild } from '../datastore/testing/buildChild.js';
import type * as PoolModuleNamespace from './preprocessPool.js';
import { PreprocessPool } from './preprocessPool.js';

/** The pool module built by buildChild has the same exports as the source. */
type PoolModule = typeof PoolModuleNamespace;

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHARED_DATA = path.resolve(REPO_ROOT, '../shared/data');
const IXI_T1 = path.join(SHARED_DATA, 'ixi/t1');
const FILES = readdirSync(IXI_T1).filter((f) => f.endsWith('.nii.gz')).sort().slice(0, 6).map((f) => path.join(IXI_T1, f));
const FOUR_D = path.join(SHARED_DATA, 'nifti/nibabel_functional.nii'); // 17 x 21 x 3 x 20
const SIZE = 96;

let tmp: string;
let badFile: string;
let built: PoolModule;
let expected: Tensor[];

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'voxlab-preprocess-pool-'));
  badFile = path.join(tmp, 'bad.nii');
  writeFileSync(badFile, Buffer.alloc(400, 1));
  const entry = buildChild(path.join(REPO_ROOT, 'core/loader/preprocessPool.ts'), REPO_ROOT, path.join(tmp, 'build'));
  built = (await import(pathToFileURL(entry).href)) as PoolModule;
  expected = [];
  for (const f of FILES) expected.push(seedPreprocess(await readNifti(f), SIZE));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The error that readNifti + seedPreprocess throw for `file`, to compare with the pool's. */
async function directError(file: string, frame?: number): Promise<unknown> {
  return readNifti(file, frame === undefined ? {} : { frame }).then((v) => seedPreprocess(v, SIZE)).then(
    () => expect.unreachable(`${file} should fail`),
    (e: unknown) => e,
  );
}

/** Bit-for-bit equality; fast where toEqual walks 884,736 floats one by one (seconds per tensor). */
function expectSameData(actual: Float32Array, wanted: Float32Array): void {
  const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  if (bytes(actual).equals(bytes(wanted))) return;
  const i = actual.findIndex((v, k) => !Object.is(v, wanted[k]));
  expect.fail(`data differ (lengths ${actual.length} and ${wanted.length}; first at ${i}: ${actual[i]} vs ${wanted[i]})`);
}

function pick(e: unknown): { name: string; code: string; message: string; details: unknown } {
  const { name, code, message, details } = e as { name: string; code: string; message: string; details: unknown };
  return { name, code, message, details };
}

const MODES = [
  ['in-process', () => new PreprocessPool({ size: SIZE, workers: 0 }), 'in-process', 0],
  ['threads', () => new built.PreprocessPool({ size: SIZE, workers: 2 }), 'threads', 2],
] as const;

describe.each(MODES)('PreprocessPool (%s)', (_name, makePool, mode, workers) => {
  it('loadMany equals seedPreprocess(readNifti(f)) exactly, in order, with progress', async () => {
    const pool = makePool();
    try {
      expect([pool.mode, pool.workers]).toEqual([mode, workers]);
      const progress: number[] = [];
      const inFlight: number[] = [];
      const files = [...FILES, ...FILES.slice(0, 2)];
      const out = await pool.loadMany(files, {
        onProgress: (done, total) => {
          progress.push(done);
          expect(total).toBe(files.length);
          inFlight.push(pool.stats().queued + pool.stats().running);
        },
      });
      expect(progress).toEqual(files.map((_, i) => i + 1));
      expect(Math.max(...inFlight)).toBeLessThanOrEqual(2 * Math.max(1, workers));
      expect(out.map((t) => t.shape)).toEqual(files.map(() => [1, SIZE, SIZE, SIZE]));
      out.forEach((t, i) => expectSameData(t.data, expected[i % FILES.length]!.data));
      for (const t of out) expect(t.data.buffer.byteLength).toBe(t.data.byteLength);
      const done = pool.stats().done;
      expect(done.reduce((a, b) => a + b, 0)).toBe(files.length);
      expect(done.filter((n) => n > 0)).toHaveLength(Math.max(1, workers)); // every worker took files
    } finally {
      await pool.close();
    }
  });

  it('rejects a bad file with the reader’s code and message, then goes on', async () => {
    const pool = makePool();
    try {
      const missing = path.join(tmp, 'missing.nii.gz');
      for (const [file, code] of [[badFile, 'NOT_NIFTI'], [missing, 'NOT_FOUND']] as const) {
        const error = pick(await pool.load(file).catch((e: unknown) => e));
        expect(error.code).toBe(code);
        expect(error).toEqual(pick(await directError(file)));
      }
      const many = await pool.loadMany([FILES[0]!, badFile, FILES[1]!]).catch((e: unknown) => e);
      expect(pick(many).code).toBe('NOT_NIFTI');
      expectSameData((await pool.load(FILES[2]!)).data, expected[2]!.data);
      expect(pool.stats().restarts).toBe(0);
    } finally {
      await pool.close();
    }
  });

  it('loads the requested frame of a 4D file and rejects a missing one like readNifti', async () => {
    const pool = makePool();
    try {
      const frame5 = await pool.load(FOUR_D, { frame: 5 });
      expectSameData(frame5.data, seedPreprocess(await readNifti(FOUR_D, { frame: 5 }), SIZE).data);
      const frame0 = (await pool.load(FOUR_D)).data;
      expect(Buffer.from(frame5.data.buffer).equals(Buffer.from(frame0.buffer))).toBe(false);
      const error = pick(await pool.load(FOUR_D, { frame: 20 }).catch((e: unknown) => e));
      expect(error.code).toBe('BAD_ARGUMENT');
      expect(error).toEqual(pick(await directError(FOUR_D, 20)));
    } finally {
      await pool.close();
    }
  });

  it('close() cancels pending loads and every later call rejects with CANCELLED', async () => {
    const pool = makePool();
    const pending = FILES.map((f) => pool.load(f).catch((e: unknown) => e));
    await pool.close();
    for (const result of await Promise.all(pending)) expect(pick(result).code).toBe('CANCELLED');
    const later = pick(await pool.load(FILES[0]!).catch((e: unknown) => e));
    expect(later).toMatchObject({ name: 'VoxlabError', code: 'CANCELLED', message: 'PreprocessPool: the pool is closed' });
    expect(pick(await pool.loadMany(FILES).catch((e: unknown) => e)).code).toBe('CANCELLED');
    await pool.close();
  });
});

describe('PreprocessPool', () => {
  it('runs in-process when the compiled worker is not beside the module (vitest runs the .ts sources)', async () => {
    const pool = new PreprocessPool({ size: SIZE, workers: 2 });
    expect([pool.mode, pool.workers]).toEqual(['in-process', 0]);
    await pool.close();
  });

  it('rejects loads beyond maxQueue with BAD_ARGUMENT, while loadMany stays within it', async () => {
    const pool = new PreprocessPool({ size: SIZE, workers: 0, maxQueue: 1 });
    try {
      const first = pool.load(FILES[0]!);
      const second = pool.load(FILES[1]!);
      await expect(pool.load(FILES[2]!)).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringContaining('maxQueue') });
      await Promise.all([first, second]);
      expect(await pool.loadMany(FILES.slice(0, 4))).toHaveLength(4);
    } finally {
      await pool.close();
    }
  });

  it.each([
    [{ size: 0 }, 'size must be a positive integer, got 0'],
    [{ size: 9.5 }, 'size must be a positive integer, got 9.5'],
    [{ size: 8, workers: -1 }, 'workers must be an integer >= 0, got -1'],
    [{ size: 8, maxQueue: 0 }, 'maxQueue must be a positive integer or Infinity, got 0'],
  ])('rejects options %o with BAD_ARGUMENT', (options, message) => {
    expect(() => new PreprocessPool(options)).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT', message: `PreprocessPool: ${message}` }));
  });

  it('gets a fresh output array from each seedPreprocess call, so workers may transfer it', async () => {
    const volume = await readNifti(FILES[0]!);
    const a = seedPreprocess(volume, 32);
    const b = seedPreprocess(volume, 32);
    expect(a.data.buffer).not.toBe(b.data.buffer);
    expect([a.data.byteOffset, a.data.buffer.byteLength]).toEqual([0, a.data.byteLength]);
  });
});
