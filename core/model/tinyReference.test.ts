// The tiny MONAI DenseNet in shared/reference/monai must give MONAI's logits here, on cpu and wasm.

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSafetensors } from './safetensors.js';
import { referenceBytes, referenceFloat32, useBackend } from './testing/backends.js';
import { createDenseNet, type TfModel } from './tfModel.js';
import { loadStateDict } from './weights.js';

const TINY = { initFeatures: 8, growthRate: 4, blockConfig: [2, 2, 2, 2], bnSize: 2 };
const reference = JSON.parse(new TextDecoder().decode(referenceBytes('reference.json'))) as {
  densenet_tiny: { logits: number[][] };
};
const expected = reference.densenet_tiny.logits[0]!;

describe.each(['cpu', 'wasm'] as const)('tiny MONAI DenseNet on the %s backend', (backend) => {
  let model: TfModel;
  beforeAll(async () => {
    await useBackend(backend);
    model = createDenseNet(TINY, { inputSize: [32, 32, 32] });
    loadStateDict(model, parseSafetensors(referenceBytes('densenet_tiny.safetensors')));
  });
  afterAll(() => model.dispose());

  it('gives reference.json logits on input_32.f32 within 1e-4 (eval mode)', async () => {
    // [1, 1, 32, 32, 32] NCDHW holds the same memory as [1, 32, 32, 32, 1] NDHWC: one channel.
    const x = tf.tensor5d(referenceFloat32('input_32.f32'), [1, 32, 32, 32, 1]);
    const timed = async () => {
      const started = performance.now();
      const out = model.forward(x);
      const data = Array.from(await out.data());
      return { out, data, ms: performance.now() - started };
    };
    const first = await timed(); // includes the backend's first-use work
    const { out: logits, data: values, ms } = await timed();
    tf.dispose([x, first.out, logits]);
    const diff = Math.max(...values.map((v, i) => Math.abs(v - expected[i]!)));
    const timing = `first ${first.ms.toFixed(0)} ms, warm ${ms.toFixed(0)} ms`;
    console.info(
      `tiny DenseNet ${backend}: logits [${values.join(', ')}], max |diff| ${diff.toExponential(2)}, ${timing}`,
    );
    expect(values).toEqual(first.data);
    expect(logits.shape).toEqual([1, 2]);
    expect(diff).toBeLessThan(1e-4);
  });

  it('leaks no tensors in an eval forward', () => {
    const x = tf.zeros([2, 32, 32, 32, 1]);
    const before = tf.memory().numTensors;
    model.forward(x).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
