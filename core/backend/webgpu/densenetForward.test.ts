// Eval forwards on WebGPU against wasm and MONAI (issue #12, must-show 1), on a real Dawn adapter
// (SwiftShader where there is no GPU) in a child process: MONAI's tiny DenseNet with its reference weights
// gives reference.json's logits, and DenseNet121 at 96^3 on MONAI's IXI012 input gives wasm's logits. The
// 96^3 forward takes about 2 minutes on SwiftShader with 2 busy cores since our tiled Conv3D
// (kernels/conv3d.ts); with tfjs's naive one it did not finish in 15.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceBytes, useBackend } from '../../model/testing/backends.js';
import { relativeError } from '../../model/testing/tensors.js';
import { runForward, type ForwardName } from './testing/forwardScenario.js';
import { monaiAnalyticLogits } from '../../model/testing/monai121/analyticWeights.js';
import { openWebgpuChild } from './testing/swiftshader.js';

const child = await openWebgpuChild();
const found = child.adapter !== null;
const where = found ? `${child.adapter!.vendor} ${child.adapter!.architecture}` : `skipped: ${child.reason}`;
if (!found) console.warn(`densenetForward.test.ts: every test skipped, no WebGPU adapter: ${child.reason}`);

afterAll(() => child.dispose());

const monaiTinyLogits = (
  JSON.parse(new TextDecoder().decode(referenceBytes('reference.json'))) as {
    densenet_tiny: { logits: number[][] };
  }
).densenet_tiny.logits[0]!;

interface Ran {
  backend: string;
  logits: number[];
  seconds: number[];
  deviceErrors: string[];
}

async function onWebgpu(name: ForwardName, timeoutMs: number): Promise<Ran> {
  const ran = await child.run<Ran>(['forward', name], timeoutMs);
  expect(ran.backend).toBe('webgpu');
  expect(ran.deviceErrors).toEqual([]);
  return ran;
}

describe(`DenseNet eval forward on WebGPU (${where})`, () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it.runIf(found)(
    "MONAI's tiny DenseNet with its reference weights gives MONAI's logits within 1e-4",
    async () => {
      const gpu = await onWebgpu('tinyMonai', 120_000);
      const wasm = await runForward('tinyMonai');
      expect(relativeError(monaiTinyLogits, gpu.logits)).toBeLessThan(1e-4);
      expect(relativeError(wasm.logits, gpu.logits)).toBeLessThan(1e-4);
    },
  );

  it.runIf(found)(
    "DenseNet121 at 96^3 on MONAI's IXI012 input gives wasm's and MONAI's logits within 1e-4 (relative)",
    async () => {
      // Closed-form weights (core/model/testing/monai121): MONAI 1.3.2 computed these logits with them.
      const monai = monaiAnalyticLogits();
      const gpu = await onWebgpu('densenet121Analytic', 420_000);
      const wasm = await runForward('densenet121Analytic');
      console.info(
        `DenseNet121 96^3: webgpu [${gpu.logits.join(', ')}] in ${gpu.seconds[0]!.toFixed(1)} s, wasm [${[...wasm.logits].join(', ')}] in ${wasm.seconds[0]!.toFixed(1)} s`,
      );
      console.info(`DenseNet121 96^3: MONAI [${monai.logits.join(', ')}]`);
      expect(relativeError(wasm.logits, gpu.logits)).toBeLessThan(1e-4);
      expect(relativeError(monai.logits, gpu.logits)).toBeLessThan(1e-4);
      expect(relativeError(monai.logits, wasm.logits)).toBeLessThan(1e-4);
      // Not a trivial match: the two logits differ (the class signal), and the net had all 727 entries.
      expect(Math.abs(monai.logits[0]! - monai.logits[1]!)).toBeGreaterThan(1e-3);
      expect(monai.entries).toBe(727);
    },
    440_000,
  );
});
