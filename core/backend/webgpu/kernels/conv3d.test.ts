// Our WebGPU Conv3D and its gradients (conv3d.ts) against tfjs's own WebGPU kernels and our wasm ones
// (issue #12), over CONV3D_CASES, on a real Dawn adapter (SwiftShader where there is no GPU) in a child process
// (testing/swiftshader.ts). Skips only when no adapter can be found at all, and says why.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { backend_util } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSafetensors, toFloat32 } from '../../../model/index.js';
import { useBackend } from '../../../model/testing/backends.js';
import { relativeError } from '../../../model/testing/tensors.js';
import { openWebgpuChild } from '../testing/swiftshader.js';
import { Conv3dTiledProgram, conv3dTiling, geometryOf } from './conv3dProgram.js';
import { CONV3D_CASES, runConv3dCase, runConv3dGradCase } from './testing/conv3dCases.js';

const child = await openWebgpuChild();
const found = child.adapter !== null;
const where = found ? `${child.adapter!.vendor} ${child.adapter!.architecture}` : `skipped: ${child.reason}`;
if (!found) console.warn(`conv3d.test.ts: GPU tests skipped, no WebGPU adapter: ${child.reason}`);
const temp = mkdtempSync(path.join(tmpdir(), 'voxlab-conv3d-'));

afterAll(() => {
  child.dispose();
  rmSync(temp, { recursive: true, force: true });
});

describe('conv3dTiling', () => {
  it.each([
    [128, 32, 'vec4', 2],
    [1, 64, 'scalarIn', 2],
    [5, 8, 'scalarIn', 2],
    [8, 4, 'vec4', 1],
    [16, 12, 'vec4', 1],
    [6, 10, 'scalar', 2],
    [4, 3, 'scalar', 1],
  ] as const)('reads %i -> %i channels as %s with %i vec4 columns', (ci, co, reads, columns) => {
    expect(conv3dTiling(ci, co)).toEqual({ tileM: 4, vec4Columns: columns, reads });
  });

  it('dispatches one invocation per 4 output voxels of a row, a workgroup row per 8 out channels', () => {
    const info = backend_util.computeConv3DInfo([2, 9, 10, 7, 4], [3, 3, 3, 4, 20], 2, 1, 'valid');
    // Output [2, 4, 4, 3, 20]: 2 * 4 * 4 rows of 1 tile (3 voxels), 20 channels in 3 groups of 8.
    const program = new Conv3dTiledProgram(geometryOf(info), { tileM: 4, vec4Columns: 2, reads: 'scalar' });
    expect(program.outputShape).toEqual([2, 4, 4, 3, 20]);
    expect(program.dispatch).toEqual([1, 3, 1]);
  });

  it('refuses vec4 reads that do not fit the channel counts', () => {
    const info = backend_util.computeConv3DInfo([1, 4, 4, 4, 6], [1, 1, 1, 6, 12], 1, 1, 'valid');
    expect(
      () => new Conv3dTiledProgram(geometryOf(info), { tileM: 4, vec4Columns: 1, reads: 'vec4' }),
    ).toThrow(/6 -> 12/);
    expect(
      () => new Conv3dTiledProgram(geometryOf(info), { tileM: 4, vec4Columns: 2, reads: 'scalarIn' }),
    ).toThrow(/8-channel tiles/);
  });
});

describe(`Conv3D on WebGPU: ours against tfjs's and wasm's (${where})`, () => {
  let gpu: Map<string, Float32Array>;

  beforeAll(async () => {
    if (!found) return;
    await useBackend('wasm');
    const out = path.join(temp, 'conv3d.safetensors');
    const ran = await child.run<{ backend: string; deviceErrors: string[]; pipelines: string[] }>(
      ['conv3d', out],
      300_000,
    );
    expect(ran.backend).toBe('webgpu');
    expect(ran.deviceErrors).toEqual([]);
    // Our programs ran (tfjs keys its pipelines by the program's shaderKey), every read mode of each.
    for (const key of [
      'voxlabConv3dTiled_4_2_vec4',
      'voxlabConv3dTiled_4_2_scalarIn',
      'voxlabConv3dTiled_4_2_scalar',
      'voxlabConv3dFlipFilter',
      'voxlabConv3dFilterGrad_true_true_2',
      'voxlabConv3dFilterGrad_false_true_2',
      'voxlabConv3dFilterGrad_false_false_2',
    ])
      expect(
        ran.pipelines.some((k) => k.startsWith(`${key}_`)),
        key,
      ).toBe(true);
    const parsed = parseSafetensors(new Uint8Array(readFileSync(out)));
    gpu = new Map([...parsed.tensors].map(([k, t]) => [k, toFloat32(t)]));
  }, 320_000);

  it.runIf(found).each(CONV3D_CASES.map((c, i) => [c.name, i] as const))(
    '%s: equal to wasm and to tfjs-webgpu within 1e-4 (relative)',
    async (_name, i) => {
      const wasm = await runConv3dCase(i);
      const tiled = gpu.get(`tiled.${i}`)!;
      const stock = gpu.get(`stock.${i}`)!;
      expect(tiled.length).toBe(wasm.length);
      expect(relativeError(wasm, tiled)).toBeLessThan(1e-4);
      expect(relativeError(stock, tiled)).toBeLessThan(1e-4);
      // Not all zeros (which a kernel that never ran would leave in a fresh buffer).
      expect(Math.max(...tiled.map(Math.abs))).toBeGreaterThan(0.1);
    },
  );

  it
    .runIf(found)
    .each(CONV3D_CASES.map((c, i) => [c.name, i] as const).filter(([, i]) => !CONV3D_CASES[i]!.dilations))(
    '%s: gradients (dx, dW) equal to wasm and to tfjs-webgpu within 1e-4 (relative)',
    async (_name, i) => {
      const wasm = (await runConv3dGradCase(i))!;
      for (const key of ['dx', 'dW'] as const) {
        const tiled = gpu.get(`tiled.${key}.${i}`)!;
        expect(tiled.length, key).toBe(wasm[key].length);
        expect(relativeError(wasm[key], tiled), key).toBeLessThan(1e-4);
        expect(relativeError(gpu.get(`stock.${key}.${i}`)!, tiled), key).toBeLessThan(1e-4);
        expect(Math.max(...tiled.map(Math.abs)), key).toBeGreaterThan(0.1);
      }
    },
  );
});
