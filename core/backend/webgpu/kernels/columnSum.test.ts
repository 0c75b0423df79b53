// The two-level column sum (core/backend/columnSum.ts) on wasm (XNNPACK average pools) and on webgpu (our
// COLUMN_SUM_KERNEL, in the SwiftShader child process), against float64 sums of the same float32 values.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { columnSumChunk } from '../../columnSum.js';
import { parseSafetensors, toFloat32 } from '../../../model/index.js';
import { useBackend } from '../../../model/testing/backends.js';
import { openWebgpuChild } from '../testing/swiftshader.js';
import { COLUMN_SUM_CASES, columnSumMatrix, columnSums } from './testing/columnSumCases.js';

const child = await openWebgpuChild();
const found = child.adapter !== null;
if (!found) console.warn(`columnSum.test.ts: GPU test skipped, no WebGPU adapter: ${child.reason}`);
const temp = mkdtempSync(path.join(tmpdir(), 'voxlab-columnsum-'));

afterAll(() => {
  child.dispose();
  rmSync(temp, { recursive: true, force: true });
});

/** Per case: the float64 column sums and sum |x| of each column. */
async function exactSums(): Promise<{ sum: Float64Array; abs: Float64Array }[]> {
  await useBackend('wasm');
  return COLUMN_SUM_CASES.map(([rows, channels], i) => {
    const m = columnSumMatrix(i);
    const values = m.dataSync();
    m.dispose();
    const sum = new Float64Array(channels);
    const abs = new Float64Array(channels);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < channels; c++) {
        sum[c]! += values[r * channels + c]!;
        abs[c]! += Math.abs(values[r * channels + c]!);
      }
    return { sum, abs };
  });
}

/** Largest |got - exact| / sum |x| over the columns of every case. */
function worstError(got: Float32Array[], exact: { sum: Float64Array; abs: Float64Array }[]): number[] {
  return exact.map(({ sum, abs }, i) => {
    let worst = 0;
    sum.forEach((s, c) => (worst = Math.max(worst, Math.abs(got[i]![c]! - s) / abs[c]!)));
    return worst;
  });
}

/**
 * Measured (relative to sum |x|): one float32 run over case 0, 8.4e-6; two levels 2.2e-7 (wasm) and 5.0e-7
 * (webgpu), the second level's additions of ~256-sized block sums dominating. The prime count (case 2) is
 * one run by design: 4.7e-7 (wasm), 1.8e-6 (webgpu).
 */
function expectAccurate(errors: number[]): void {
  errors.forEach((e, i) =>
    expect(e, `case ${i}`).toBeLessThan(COLUMN_SUM_CASES[i]![0] === 4_099 ? 1e-5 : 1e-6),
  );
}

describe('columnSumChunk', () => {
  it.each([
    [65_536, 256],
    [2 * 96 ** 3, 1152],
    [12_288, 96],
    [4_099, 4_099],
    [2, 2],
    [1, 1],
  ])('%i rows: blocks of %i', (rows, chunk) => {
    expect(columnSumChunk(rows)).toBe(chunk);
    expect(rows % chunk).toBe(0);
  });

  it('refuses a row count that is not a positive integer', () => {
    expect(() => columnSumChunk(0)).toThrow(RangeError);
    expect(() => columnSumChunk(2.5)).toThrow(RangeError);
  });
});

describe('channelSum in two levels', () => {
  it('one float32 run of additions loses more than 2e-6 of a 65,536-value sum (what the bound guards)', async () => {
    const exact = await exactSums();
    const m = columnSumMatrix(0);
    const values = m.dataSync();
    m.dispose();
    const [rows, channels] = COLUMN_SUM_CASES[0]!;
    const run = new Float32Array(channels);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < channels; c++) run[c] = Math.fround(run[c]! + values[r * channels + c]!);
    expect(worstError([run], exact.slice(0, 1))[0]).toBeGreaterThan(2e-6);
  });

  it('wasm: within 1e-6 of the float64 sums (relative to sum |x|; a prime row count, 1e-5)', async () => {
    const exact = await exactSums();
    await useBackend('wasm');
    expectAccurate(worstError(await columnSums(), exact));
  });

  it.runIf(found)(
    'webgpu: within 1e-6 of the float64 sums (relative to sum |x|; a prime row count, 1e-5)',
    async () => {
      const exact = await exactSums();
      const out = path.join(temp, 'sums.safetensors');
      const ran = await child.run<{ backend: string; deviceErrors: string[] }>(['columnSum', out], 120_000);
      expect(ran).toEqual({ backend: 'webgpu', deviceErrors: [] });
      const file = parseSafetensors(new Uint8Array(readFileSync(out)));
      const got = COLUMN_SUM_CASES.map((_, i) => toFloat32(file.tensors.get(`sum.${i}`)!));
      expectAccurate(worstError(got, exact));
    },
  );
});
