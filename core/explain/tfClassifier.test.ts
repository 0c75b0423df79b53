import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../common/random.js';
import { useBackend } from '../model/testing/backends.js';
import { createDenseNet, type TfModel } from '../model/tfModel.js';
import { occlusionSensitivity } from './occlusionSensitivity.js';
import { tfClassifier } from './tfClassifier.js';

const TINY = { initFeatures: 4, growthRate: 2, blockConfig: [1, 1], bnSize: 2 };

describe('tfClassifier (tiny DenseNet, cpu backend)', () => {
  let model: TfModel;
  const r = new SeededRandom(3);
  const batch = Float32Array.from({ length: 2 * 16 ** 3 }, () => r.uniform());
  beforeAll(async () => {
    await useBackend('cpu');
    model = createDenseNet(TINY, { inputSize: [16, 16, 16], seed: 2 });
  });
  afterAll(() => model.dispose());

  it('takes NCDHW batches and gives the model logits', async () => {
    const classifier = tfClassifier(model, ['female', 'male']);
    expect(classifier.inputShape).toEqual([1, 16, 16, 16]);
    const logits = await classifier.predict(batch, 2);
    // One channel: NCDHW and NDHWC hold the same numbers in the same order.
    const x = tf.tensor5d(batch, [2, 16, 16, 16, 1]);
    const expected = model.forward(x);
    expect(Array.from(logits)).toEqual(Array.from(expected.dataSync()));
    tf.dispose([x, expected]);
    await expect(classifier.predict(batch, 3)).rejects.toMatchObject({ code: 'BAD_VALUES' });
  });

  it('gives occlusion maps that do not depend on nBatch', async () => {
    const classifier = tfClassifier(model);
    const input = batch.subarray(0, 16 ** 3);
    const one = await occlusionSensitivity(classifier, input, { maskSize: 8, overlap: 0, nBatch: 1 });
    const five = await occlusionSensitivity(classifier, input, { maskSize: 8, overlap: 0, nBatch: 5 });
    expect(one.plan.windows).toBe(8);
    const diff = Math.max(...Array.from(one.maps, (v, i) => Math.abs(v - five.maps[i]!)));
    expect(diff).toBeLessThan(1e-6);
    const first = one.maps[0]!;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(1);
  });
});
