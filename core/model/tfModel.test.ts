import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVoxlabError } from '../common/errors.js';
import { SeededRandom } from '../common/random.js';
import { initialValues } from './init.js';
import { useBackend } from './testing/backends.js';
import { conv } from './tfLayers.js';
import { createDenseNet, type TfModel } from './tfModel.js';

const TINY = { initFeatures: 8, growthRate: 4, blockConfig: [2, 2, 2, 2], bnSize: 2 };
const SIZE = [32, 32, 32];

/** A seeded NDHWC input [batch, 32, 32, 32, 1]. */
function input(batch: number, seed: number): tf.Tensor5D {
  const r = new SeededRandom(seed);
  return tf.tensor5d(
    Float32Array.from({ length: batch * 32 ** 3 }, () => r.uniform()),
    [batch, 32, 32, 32, 1],
  );
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));

describe('TfModel (tiny DenseNet, cpu backend)', () => {
  let model: TfModel;
  beforeAll(async () => {
    await useBackend('cpu');
    model = createDenseNet(TINY, { inputSize: SIZE, seed: 7 });
  });
  afterAll(() => model.dispose());

  it('gives the same logits segment by segment as in one forward', () => {
    const x = input(2, 1);
    const whole = model.forward(x);
    const bySegments = tf.tidy(() =>
      model.segments().reduce<tf.Tensor>((h, s) => s.forward(h, { training: false }), x),
    );
    expect(Array.from(bySegments.dataSync())).toEqual(Array.from(whole.dataSync()));
    expect(model.segments().map((s) => s.name)).toContain('features.transition3');
    tf.dispose([x, whole, bySegments]);
  });

  it('stores weights in tfjs layout drawn from the seed in PyTorch layout and state_dict order', () => {
    const random = new SeededRandom(7);
    for (const key of model.stateKeys) {
      const entry = model.entry(key);
      const values = initialValues(entry, random);
      if (entry.dtype === 'I64') expect(model.numBatchesTracked(key)).toBe(0);
      else expect(model.readTorch(key)).toEqual(values);
    }
    expect(model.variable('features.conv0.weight').shape).toEqual([7, 7, 7, 1, 8]);
    expect(model.variable('class_layers.out.weight').shape).toEqual([16, 2]);
    expect(model.trainableVariables()).toHaveLength(
      model.stateKeys.filter((k) => model.entry(k).kind === 'parameter').length,
    );
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const again = createDenseNet(TINY, { inputSize: SIZE, seed: 7 });
    const other = createDenseNet(TINY, { inputSize: SIZE, seed: 8 });
    const key = 'features.denseblock2.denselayer1.layers.conv2.weight';
    expect(again.readTorch(key)).toEqual(model.readTorch(key));
    expect(other.readTorch(key)).not.toEqual(model.readTorch(key));
    again.dispose();
    other.dispose();
  });

  it('updates running stats once per training forward (PyTorch momentum 0.1), not with updateStats: false', () => {
    const m = createDenseNet(TINY, { inputSize: SIZE, seed: 3 });
    const x = input(2, 2);
    m.forward(x, { training: true, updateStats: false }).dispose();
    expect(m.numBatchesTracked('features.norm0.num_batches_tracked')).toBe(0);
    expect(Array.from(m.readTorch('features.norm5.running_var'))).toEqual(new Array(16).fill(1));
    m.forward(x, { training: true }).dispose();
    expect(m.numBatchesTracked('features.norm0.num_batches_tracked')).toBe(1);
    expect(m.numBatchesTracked('features.norm5.num_batches_tracked')).toBe(1);
    // norm0's input is conv0's output: check the update against its batch statistics.
    const { mean, variance } = tf.tidy(() =>
      tf.moments(conv(x, m.variable('features.conv0.weight') as tf.Tensor5D, 2, 3), [0, 1, 2, 3]),
    );
    const n = 2 * 16 ** 3;
    const expectedMean = Array.from(mean.dataSync(), (v) => 0.1 * v);
    const expectedVar = Array.from(variance.dataSync(), (v) => 0.9 + (0.1 * v * n) / (n - 1));
    expect(maxAbsDiff(m.readTorch('features.norm0.running_mean'), expectedMean)).toBeLessThan(1e-6);
    expect(maxAbsDiff(m.readTorch('features.norm0.running_var'), expectedVar)).toBeLessThan(1e-6);
    // Under a gradient tape (whole-model autodiff) the update happens too, once.
    const { value, grads } = tf.variableGrads(() => tf.sum(m.forward(x, { training: true })) as tf.Scalar);
    expect(m.numBatchesTracked('features.transition2.norm.num_batches_tracked')).toBe(2);
    tf.dispose([x, mean, variance, value, ...Object.values(grads)]);
    m.dispose();
  });

  it('gives the same gradients segment by segment as whole-model autodiff (training mode)', () => {
    const x = input(2, 4);
    const opts = { training: true, updateStats: false } as const;
    const weights = tf.tensor2d([
      [1, -2],
      [0.5, 3],
    ]);
    const lossOf = (logits: tf.Tensor) => tf.sum(tf.mul(logits, weights));
    const whole = tf.variableGrads(() => lossOf(model.forward(x, opts)) as tf.Scalar);
    const bySegment = segmentGrads(model, x, opts, lossOf);
    const keys = model.segments().flatMap((s) => s.variableKeys);
    let worst = 0;
    model.segments().forEach((s) =>
      s.variables.forEach((v, i) => {
        const a = whole.grads[v.name]!.dataSync();
        const b = bySegment.get(s.variableKeys[i]!)!.dataSync();
        const scale = Math.max(...Array.from(a, Math.abs), 1e-6);
        worst = Math.max(worst, maxAbsDiff(a, b) / scale);
      }),
    );
    expect(keys.length).toBe(Object.keys(whole.grads).length);
    expect(worst).toBeLessThan(1e-4);
    tf.dispose([x, weights, whole.value, ...Object.values(whole.grads), ...bySegment.values()]);
  });

  it.each([
    [[1, 32, 32, 32], /wrong rank or channel count/],
    [[1, 32, 32, 32, 2], /wrong rank or channel count/],
    [[1, 16, 32, 32, 1], /too small: features\.transition3\.pool/],
  ])('rejects input %j with SHAPE_MISMATCH', (shape, message) => {
    const x = tf.zeros(shape);
    let caught: unknown;
    try {
      model.forward(x);
    } catch (e) {
      caught = e;
    }
    x.dispose();
    expect(isVoxlabError(caught) && caught.code).toBe('SHAPE_MISMATCH');
    expect((caught as Error).message).toMatch(message);
  });
});

/**
 * Backpropagation one segment at a time (what a memory-bounded training loop does): forward keeping only
 * segment inputs, then from the head back, recompute each segment under a tape and push the gradient on.
 */
function segmentGrads(
  model: TfModel,
  x: tf.Tensor,
  opts: { training: true; updateStats: false },
  lossOf: (logits: tf.Tensor) => tf.Tensor,
): Map<string, tf.Tensor> {
  const segments = model.segments();
  const inputs = [x];
  for (const s of segments.slice(0, -1)) inputs.push(s.forward(inputs[inputs.length - 1]!, opts));
  const grads = new Map<string, tf.Tensor>();
  let upstream: tf.Tensor | undefined;
  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i]!;
    const inputVar = tf.variable(inputs[i]!, true);
    const { grads: g, value } = tf.variableGrads(() => {
      const out = s.forward(inputVar, opts);
      return (upstream === undefined ? lossOf(out) : tf.sum(tf.mul(out, upstream))) as tf.Scalar;
    }, [inputVar, ...s.variables]);
    s.variables.forEach((v, j) => grads.set(s.variableKeys[j]!, g[v.name]!));
    upstream?.dispose();
    upstream = g[inputVar.name]!;
    tf.dispose([value, inputVar]);
    if (i > 0) inputs[i]!.dispose();
  }
  upstream?.dispose();
  return grads;
}
