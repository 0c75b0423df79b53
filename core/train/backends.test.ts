import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerWasmConv3dKernels } from '../backend/registerWasmConv3d.js';
import type { Study } from '../datastore/index.js';
import { parseSafetensors, toFloat32 } from '../model/index.js';
import { useBackend } from '../model/testing/backends.js';
import { runFolder } from './checkpoint.js';
import { TINY_CONFIG, tempFolders, tinyStudy, writeTinyCohort } from './testing/tinyStudy.js';
import { train } from './train.js';

const temp = tempFolders();
let study: Study;

beforeAll(async () => {
  const cohort = await writeTinyCohort(temp.make('voxlab-cohort-'), 6);
  study = await tinyStudy(cohort, path.join(temp.make('voxlab-backends-'), 'study'));
});

afterAll(async () => {
  study.close();
  temp.cleanup();
  await useBackend('cpu');
});

/** Every float tensor of an epoch's weights file, by name. */
function weights(runId: string, epoch: number): Map<string, Float32Array> {
  const file = path.join(runFolder(study.dir, runId), `epoch-${String(epoch).padStart(4, '0')}.safetensors`);
  const parsed = parseSafetensors(new Uint8Array(readFileSync(file)));
  return new Map([...parsed.tensors].filter(([, t]) => t.dtype === 'F32').map(([k, t]) => [k, toFloat32(t)]));
}

it('the same seed trains to the same model on the cpu and wasm backends (float rounding apart)', async () => {
  const config = { ...TINY_CONFIG, epochs: 2, learningRate: 1e-3 };
  await useBackend('cpu');
  const cpu = await train(study, config, { runId: 'on-cpu' });
  registerWasmConv3dKernels();
  await useBackend('wasm');
  const wasm = await train(study, config, { runId: 'on-wasm' });
  expect(wasm.backend).toBe('tfjs-wasm');
  wasm.history.forEach((h, i) => expect(h.train.loss).toBeCloseTo(cpu.history[i]!.train.loss, 5));
  expect(wasm.best!.metrics.accuracy).toBe(cpu.best!.metrics.accuracy);
  const a = weights('on-cpu', 2);
  const b = weights('on-wasm', 2);
  let worst = 0;
  for (const [key, va] of a) {
    const vb = b.get(key)!;
    for (let i = 0; i < va.length; i++)
      worst = Math.max(worst, Math.abs(va[i]! - vb[i]!) / (1e-3 + Math.abs(va[i]!)));
  }
  // Measured 1e-4 (relative, with a 1e-3 floor) after 6 Adam steps: summation order, not a different model.
  expect(worst).toBeLessThan(1e-3);
});
