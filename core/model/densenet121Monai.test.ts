// DenseNet121-3D at full size against MONAI 1.3.2 (the reference workflow's model): with closed-form
// weights (testing/monai121/make_reference.py, since shared/reference ships no full-size weights) on
// MONAI's IXI012 input at 96^3, our eval forward on wasm gives MONAI's logits within 1e-4 (relative).

import { beforeAll, expect, it } from 'vitest';
import { runForward } from '../backend/webgpu/testing/forwardScenario.js';
import { monaiAnalyticLogits } from './testing/monai121/analyticWeights.js';
import { useBackend } from './testing/backends.js';
import { relativeError } from './testing/tensors.js';

beforeAll(async () => {
  await useBackend('wasm');
});

it("DenseNet121 at 96^3 with closed-form weights gives MONAI's logits within 1e-4 on wasm", async () => {
  const monai = monaiAnalyticLogits();
  const wasm = await runForward('densenet121Analytic');
  console.info(`DenseNet121 96^3 wasm [${[...wasm.logits].join(', ')}], MONAI [${monai.logits.join(', ')}]`);
  expect(relativeError(monai.logits, wasm.logits)).toBeLessThan(1e-4);
  expect(Math.abs(monai.logits[0]! - monai.logits[1]!)).toBeGreaterThan(1e-3);
}, 120_000);
