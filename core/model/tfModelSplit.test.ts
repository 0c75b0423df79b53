// TfModel.forwardTo / forwardFrom: the network split at a named node (for Grad-CAM's gradient with respect
// to an inner activation) computes exactly what forward computes.

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVoxlabError } from '../common/errors.js';
import { registerTrainingGradients } from '../train/engine/gradients/index.js';
import { useBackend } from './testing/backends.js';
import { seededTensor } from './testing/tensors.js';
import { createDenseNet, type TfModel } from './tfModel.js';

const TINY = { initFeatures: 4, growthRate: 2, blockConfig: [1, 1], bnSize: 2 };

describe('TfModel.forwardTo / forwardFrom (tiny DenseNet, cpu backend)', () => {
  let model: TfModel;
  beforeAll(async () => {
    await useBackend('cpu');
    registerTrainingGradients();
    model = createDenseNet(TINY, { inputSize: [16, 16, 16], seed: 5 });
  });
  afterAll(() => model.dispose());

  it.each([
    ['features.conv0', [1, 8, 8, 8, 4]],
    ['features.relu0', [1, 8, 8, 8, 4]],
    ['features.denseblock1.denselayer1.cat', [1, 4, 4, 4, 6]],
    ['features.transition1.pool', [1, 2, 2, 2, 3]],
    ['class_layers.relu', [1, 2, 2, 2, 5]],
    ['class_layers.pool', [1, 1, 1, 1, 5]],
  ])('splits at %s (output %j) without changing the logits', (name, shape) => {
    const x = seededTensor([2, 16, 16, 16, 1], 1) as tf.Tensor5D;
    const whole = model.forward(x);
    const a = model.forwardTo(x, name);
    expect(a.shape.slice(1)).toEqual(shape.slice(1));
    const split = model.forwardFrom(a, name);
    expect(Array.from(split.dataSync())).toEqual(Array.from(whole.dataSync()));
    tf.dispose([x, whole, a, split]);
  });

  it('leaks no tensors', () => {
    const x = seededTensor([1, 16, 16, 16, 1], 2) as tf.Tensor5D;
    const before = tf.memory().numTensors;
    const a = model.forwardTo(x, 'features.transition1.pool');
    const logits = model.forwardFrom(a, 'features.transition1.pool');
    tf.dispose([a, logits]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('lets tf.grad differentiate the logits with respect to class_layers.relu: W[c, k] / voxels', () => {
    const x = seededTensor([1, 16, 16, 16, 1], 3) as tf.Tensor5D;
    const a = model.forwardTo(x, 'class_layers.relu');
    const grad = tf.grad((t: tf.Tensor) =>
      tf.sum(tf.mul(model.forwardFrom(t, 'class_layers.relu'), tf.tensor([[0, 1]]))),
    )(a);
    const w = model.variable('class_layers.out.weight').dataSync(); // [in, out]
    const g = grad.dataSync();
    for (let i = 0; i < g.length; i++) expect(g[i]).toBeCloseTo(w[(i % 5) * 2 + 1]! / 8, 6);
    tf.dispose([x, a, grad]);
  });

  it.each([
    ['forwardTo', 'features.nope', 'NOT_FOUND'],
    ['forwardTo', 'features.norm5', 'BAD_ARGUMENT'],
    ['forwardFrom', 'features.denseblock1.denselayer1.layers.conv1', 'BAD_ARGUMENT'],
  ])('%s(%s) throws %s', (method, name, code) => {
    const x = seededTensor([1, 16, 16, 16, 1], 4) as tf.Tensor5D;
    let error: unknown;
    try {
      if (method === 'forwardTo') model.forwardTo(x, name).dispose();
      else model.forwardFrom(x, name).dispose();
    } catch (e) {
      error = e;
    }
    expect(isVoxlabError(error) && error.code).toBe(code);
    x.dispose();
  });

  it('rejects an activation of the wrong shape with SHAPE_MISMATCH', () => {
    const a = tf.zeros([1, 3, 3, 3, 5]);
    expect(() => model.forwardFrom(a, 'class_layers.relu')).toThrow(
      expect.objectContaining({ code: 'SHAPE_MISMATCH' }),
    );
    a.dispose();
  });
});
