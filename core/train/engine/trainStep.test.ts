// Runs with OUR gradients only: this file does not import tfjs's register_all_gradients.js, as plain Node
// cannot (each vitest test file runs in its own process, so none leak in from other files).
import * as tf from '@tensorflow/tfjs-core';
import { getGradient } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../common/random.js';
import { createDenseNet, type TfModel } from '../../model/index.js';
import { useBackend } from '../../model/testing/backends.js';
import { Adam } from './adam.js';
import { namedParameters } from './backprop.js';
import { conv3dGrad } from './gradients/conv3d.js';
import { createTrainStep, evaluateBatch } from './trainStep.js';
import { TINY_DENSENET, TINY_SIZE } from './testing/gradientSwap.js';

/**
 * `count` synthetic 16^3 volumes NDHWC [count, 16, 16, 16, 1]: noise in [0, 0.5), plus for label 1 a bright
 * 6^3 cube at a seeded place. Labels alternate 0, 1, 0, 1...
 */
function syntheticBatch(count: number, seed: number): { x: tf.Tensor5D; labels: Int32Array } {
  const r = new SeededRandom(seed);
  const n = 16;
  const values = new Float32Array(count * n ** 3);
  const labels = Int32Array.from({ length: count }, (_, i) => i % 2);
  for (let b = 0; b < count; b++) {
    const [cz, cy, cx] = [r.int(2, 8), r.int(2, 8), r.int(2, 8)];
    for (let i = 0; i < n ** 3; i++) {
      const [z, y, x] = [Math.floor(i / n / n), Math.floor(i / n) % n, i % n];
      const inCube = z >= cz && z < cz + 6 && y >= cy && y < cy + 6 && x >= cx && x < cx + 6;
      values[b * n ** 3 + i] = r.uniform(0, 0.5) + (labels[b] === 1 && inCube ? 1 : 0);
    }
  }
  return { x: tf.tensor5d(values, [count, n, n, n, 1]), labels };
}

function tinyModel(seed = 3): TfModel {
  return createDenseNet(TINY_DENSENET, { inputSize: TINY_SIZE, seed });
}

describe('createTrainStep (tiny DenseNet, cpu, our gradients only)', () => {
  beforeAll(async () => {
    expect(getGradient('Conv3D')).toBeUndefined();
    await useBackend('cpu');
  });

  it('registers our gradients and overfits 4 synthetic volumes within 20 steps', async () => {
    const model = tinyModel();
    const optimizer = new Adam(namedParameters(model), { lr: 1e-2 });
    const step = createTrainStep(model, { optimizer });
    expect(getGradient('Conv3D')).toBe(conv3dGrad);
    const { x, labels } = syntheticBatch(4, 1);
    const losses: number[] = [];
    for (let i = 0; i < 20; i++) losses.push((await step(x, labels)).loss);
    expect(losses[0]).toBeGreaterThan(0.5);
    expect(losses[19]).toBeLessThan(0.25 * losses[0]!);
    const logits = evaluateBatch(model, x);
    const predicted = [0, 1, 2, 3].map((b) => (logits[2 * b + 1]! > logits[2 * b]! ? 1 : 0));
    expect(predicted).toEqual([...labels]);
    tf.dispose(x);
    optimizer.dispose();
    model.dispose();
  });

  it.each([true, false])(
    'leaves the tensor count unchanged across steps (segmentwise %s)',
    async (segmentwise) => {
      const model = tinyModel();
      const parameters = namedParameters(model);
      const optimizer = new Adam(parameters, { lr: 1e-3 });
      const step = createTrainStep(model, { optimizer, segmentwise });
      const { x, labels } = syntheticBatch(2, 2);
      const before = tf.memory().numTensors;
      const first = await step(x, labels);
      // The first step creates Adam's two moments per parameter; later steps create nothing lasting.
      expect(tf.memory().numTensors).toBe(before + 2 * parameters.size);
      await step(x, labels);
      await step(x, labels);
      expect(tf.memory().numTensors).toBe(before + 2 * parameters.size);
      expect(first.logits).toHaveLength(4);
      expect(Number.isFinite(first.loss)).toBe(true);
      tf.dispose(x);
      optimizer.dispose();
      model.dispose();
    },
  );

  it('is deterministic: same seed and data give the same loss sequence; segment-wise equals whole-model', async () => {
    const lossSequence = async (segmentwise: boolean) => {
      const model = tinyModel(9);
      const optimizer = new Adam(namedParameters(model), { lr: 1e-3 });
      const step = createTrainStep(model, { optimizer, segmentwise });
      const losses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const { x, labels } = syntheticBatch(2, 10 + i);
        losses.push((await step(x, labels)).loss);
        x.dispose();
      }
      optimizer.dispose();
      model.dispose();
      return losses;
    };
    const a = await lossSequence(true);
    expect(await lossSequence(true)).toEqual(a);
    (await lossSequence(false)).forEach((loss, i) => expect(loss).toBeCloseTo(a[i]!, 5));
    expect(new Set(a).size).toBe(3);
  });

  it('gives the same weights with recorded segments (any memoryBudgetMb) as with recomputation', async () => {
    const weightsAfter = async (memoryBudgetMb: number) => {
      const model = createDenseNet({ ...TINY_DENSENET, dropoutProb: 0.2 }, { inputSize: TINY_SIZE, seed: 4 });
      const optimizer = new Adam(namedParameters(model), { lr: 1e-2 });
      const step = createTrainStep(model, { optimizer, memoryBudgetMb, seed: 5 });
      const losses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const { x, labels } = syntheticBatch(2, 20 + i);
        losses.push((await step(x, labels)).loss);
        x.dispose();
      }
      const weights = model.stateKeys.map((k) =>
        k.endsWith('num_batches_tracked') ? model.numBatchesTracked(k) : [...model.readTorch(k)],
      );
      optimizer.dispose();
      model.dispose();
      return { losses, weights };
    };
    const recompute = await weightsAfter(0);
    for (const budget of [0.05, 0.3, 1e6]) expect(await weightsAfter(budget)).toEqual(recompute);
  });

  it('rejects a batch whose labels do not match, before touching the model', async () => {
    const model = tinyModel();
    const optimizer = new Adam(namedParameters(model));
    const step = createTrainStep(model, { optimizer });
    const { x } = syntheticBatch(2, 1);
    await expect(step(x, Int32Array.from([0]))).rejects.toThrow(/1 labels for a batch of 2/);
    expect(model.numBatchesTracked('features.norm0.num_batches_tracked')).toBe(0);
    tf.dispose(x);
    optimizer.dispose();
    model.dispose();
  });
});
