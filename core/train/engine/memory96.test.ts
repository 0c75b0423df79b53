// Issue #12, "Memory": one DenseNet121-3D training step at 96^3, batch 2 (segment-wise backprop with the
// default tape budget, as training runs it) must fit a 4 GB GPU. Tensor bytes are the same on every tfjs
// backend (the same ops make the same tensors), so the peak is measured here on wasm with tf.profile; on
// webgpu the buffers add at most the bounded free pool (DEFAULT_POOL_CAP_BYTES, gpuMemory.ts) and small
// uniform/staging buffers. Measured 2026-12-06: 1.87 GB (1.02 GB at batch 1).

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { DEFAULT_POOL_CAP_BYTES } from '../../backend/webgpu/gpuMemory.js';
import { createDenseNet } from '../../model/index.js';
import { useBackend } from '../../model/testing/backends.js';
import { Adam, createTrainStep, namedParameters } from './index.js';

const GPU_BYTES = 4 * 2 ** 30;

beforeAll(async () => {
  await useBackend('wasm');
});

it('a DenseNet121 96^3 batch-2 training step peaks well under a 4 GB GPU', async () => {
  const model = createDenseNet({}, { seed: 0, inputSize: [96, 96, 96] });
  const step = createTrainStep(model, { optimizer: new Adam(namedParameters(model), { lr: 1e-5 }) });
  const x = tf.randomUniform([2, 96, 96, 96, 1], 0, 1, 'float32', 2) as tf.Tensor5D;
  try {
    const profile = await tf.profile(async () => {
      await step(x, Int32Array.from([0, 1]));
    });
    const peak = profile.peakBytes;
    console.info(`DenseNet121 96^3 batch 2 step: peak tensors ${(peak / 2 ** 30).toFixed(2)} GB`);
    // Not trivially small: the weights and Adam's moments alone are ~135 MB, one 64 x 48^3 activation 28 MB.
    expect(peak).toBeGreaterThan(500 * 2 ** 20);
    expect(peak + DEFAULT_POOL_CAP_BYTES).toBeLessThan(0.75 * GPU_BYTES);
  } finally {
    x.dispose();
    model.dispose();
  }
}, 180_000);
