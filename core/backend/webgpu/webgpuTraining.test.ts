// A training run on the WebGPU backend (issue #12): 2 epochs of the tiny study, in a child process on the
// adapter (SwiftShader without a GPU), give the same losses and metrics as the same run on wasm, with
// checkpoints written (weights read back from the GPU). Skips only when no adapter can be found at all.

import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Study } from '../../datastore/index.js';
import { useBackend } from '../../model/testing/backends.js';
import { tempFolders, tinyStudy, writeTinyCohort } from '../../train/testing/tinyStudy.js';
import { train, type TrainResult } from '../../train/index.js';
import { TRAIN_ON_GPU } from './testing/stepScenario.js';
import { openWebgpuChild } from './testing/swiftshader.js';

const child = await openWebgpuChild();
const found = child.adapter !== null;
if (!found) console.warn(`webgpuTraining.test.ts: skipped, no WebGPU adapter: ${child.reason}`);
const temp = tempFolders();
let study: Study;

beforeAll(async () => {
  if (!found) return;
  await useBackend('wasm');
  const cohort = await writeTinyCohort(temp.make('voxlab-cohort-'));
  study = await tinyStudy(cohort, path.join(temp.make('voxlab-webgpu-train-'), 'study'));
});

afterAll(() => {
  study?.close();
  temp.cleanup();
  child.dispose();
});

it.runIf(found)(
  `2 tiny epochs on webgpu (${child.adapter?.architecture ?? 'none'}) match wasm: losses, accuracy, AUC`,
  async () => {
    const gpu = await child.run<TrainResult & { deviceErrors: string[] }>(['train', study.dir, 'on-webgpu'], 120_000);
    const cpu = await train(study, TRAIN_ON_GPU, { runId: 'on-wasm' });
    expect(gpu.deviceErrors).toEqual([]);
    expect(gpu.backend).toBe('tfjs-webgpu');
    expect(gpu.history.map((e) => e.epoch)).toEqual([1, 2]);
    for (const [g, w] of gpu.history.map((e, i) => [e, cpu.history[i]!] as const)) {
      expect(g.train.loss).toBeCloseTo(w.train.loss, 4);
      expect(g.train.accuracy).toBe(w.train.accuracy);
      expect(g.val!.loss).toBeCloseTo(w.val!.loss, 4);
      expect(g.val!.accuracy).toBe(w.val!.accuracy);
      expect(g.val!.auc).toBe(w.val!.auc);
    }
  },
  180_000,
);
