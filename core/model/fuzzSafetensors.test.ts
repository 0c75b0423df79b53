// The safetensors reader and weights loader under fuzzing: 1,500 damaged files (header length, JSON header
// bytes and fields, offsets, dtypes, shapes, truncation) each read or throw a VoxlabError, in time. The
// 10,000-case run is `npm run fuzz -- safetensors` (scripts/fuzz.ts).

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { isVoxlabError } from '../common/errors.js';
import { fuzzSafetensors } from './fuzzSafetensors.js';
import { parseSafetensors } from './safetensors.js';
import { MONAI_REFERENCE, referenceBytes, useBackend } from './testing/backends.js';
import { createDenseNet } from './tfModel.js';

const TINY = { initFeatures: 8, growthRate: 4, blockConfig: [2, 2, 2, 2], bnSize: 2 };
const hasReference = existsSync(fileURLToPath(new URL('densenet_tiny.safetensors', MONAI_REFERENCE)));

/** A file whose one tensor's header entry is `entry` (JSON text), over `data`. */
function fileWith(entry: string, data = new Uint8Array(0)): Uint8Array {
  const header = new TextEncoder().encode(`{"w":${entry}}`);
  const out = new Uint8Array(8 + header.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  out.set(data, 8 + header.length);
  return out;
}

describe('fuzzSafetensors', () => {
  beforeAll(() => useBackend('cpu'));

  it('1,500 damaged files: every case reads or throws a VoxlabError in time', () => {
    const model = createDenseNet(TINY, { inputSize: [32, 32, 32], seed: 0 });
    const seeds = hasReference ? [{ name: 'densenet_tiny', bytes: referenceBytes('densenet_tiny.safetensors') }] : [];
    const report = fuzzSafetensors({ cases: 1500, seed: 20261206, model, seeds, caseLimitMs: 1000 });
    expect(report.failures).toEqual([]);
    expect(report.ok + Object.values(report.byCode).reduce((a, b) => a + b, 0)).toBe(1500);
    // Both outcomes happen: the mutations are not all fatal, and not all harmless.
    expect(report.ok).toBeGreaterThan(50);
    expect(report.byCode.WEIGHTS_INVALID).toBeGreaterThan(500);
    expect(report.byCode.WEIGHTS_MISMATCH).toBeGreaterThan(10);
  }, 30_000);

  // Found by the fuzzer: the error message's JSON.stringify of the bad value overflowed the stack.
  it.each(['shape', 'dtype', 'data_offsets'])('a %s nested 100,000 lists deep is WEIGHTS_INVALID, not a RangeError', (key) => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const fields = { dtype: '"F32"', shape: '[1]', data_offsets: '[0,4]', [key]: deep };
    const entry = `{"dtype":${fields.dtype},"shape":${fields.shape},"data_offsets":${fields.data_offsets}}`;
    let thrown: unknown;
    try {
      parseSafetensors(fileWith(entry, new Uint8Array(4)));
    } catch (e) {
      thrown = e;
    }
    expect(isVoxlabError(thrown) && thrown.code).toBe('WEIGHTS_INVALID');
    expect((thrown as Error).message.length).toBeLessThan(400);
  });

  it('a header claiming a 2^53-byte tensor is refused without allocating it', () => {
    const before = process.memoryUsage().rss;
    expect(() => parseSafetensors(fileWith(`{"dtype":"U8","shape":[${2 ** 53 - 1}],"data_offsets":[0,${2 ** 53 - 1}]}`))).toThrow(/outside the 0-byte data section/);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 2 ** 20);
  });
});
