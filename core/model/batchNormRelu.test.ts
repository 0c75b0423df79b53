import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from './testing/backends.js';
import { batchNormReluTraining } from './batchNormRelu.js';
import { relativeError, seededTensor } from './testing/tensors.js';

const EPS = 1e-5;

/** core/model's BatchNorm formula (tf.moments, scale and shift), then ReLU: the autodiff reference. */
function composed(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, relu: boolean): tf.Tensor {
  const { mean, variance } = tf.moments(x, [0, 1, 2, 3]);
  const scale = tf.mul(w, tf.rsqrt(tf.add(variance, EPS)));
  const y = tf.add(tf.mul(x, scale), tf.sub(b, tf.mul(mean, scale)));
  return relu ? tf.relu(y) : y;
}

describe('batchNormReluTraining (NDHWC, cpu)', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it.each([
    ['with ReLU', true, [2, 3, 4, 5, 6]],
    ['without ReLU', false, [2, 3, 4, 5, 6]],
    ['one voxel per sample (the head at 3^3 pooled)', true, [4, 1, 1, 1, 3]],
  ])('%s: output and gradients equal autodiff of core/model formula', (_name, relu, shape) => {
    const c = shape[4]!;
    const x = seededTensor(shape, 1, -2, 3);
    const w = seededTensor([c], 2, 0.5, 1.5);
    const b = seededTensor([c], 3, -0.5, 0.5);
    const dy = seededTensor(shape, 4);
    const expected = tf.tidy(() => composed(x, w, b, relu));
    const result = batchNormReluTraining(x, w, b, EPS, relu);
    expect(relativeError(expected.dataSync(), result.y.dataSync())).toBeLessThan(1e-5);
    const reference = tf.grads((a, ww, bb) => composed(a!, ww!, bb!, relu))([x, w, b], dy);
    const fused = tf.grads((a, ww, bb) => batchNormReluTraining(a!, ww!, bb!, EPS, relu).y)([x, w, b], dy);
    reference.forEach((g, i) => expect(relativeError(g.dataSync(), fused[i]!.dataSync())).toBeLessThan(1e-5));
    tf.dispose([x, w, b, dy, expected, result.y, result.mean, result.variance, ...reference, ...fused]);
  });

  it('returns the batch mean and biased variance per channel, and leaks nothing', () => {
    const x = seededTensor([2, 2, 3, 2, 4], 5, 0, 4);
    const [w, b] = [tf.ones([4]), tf.zeros([4])];
    const moments = tf.moments(x, [0, 1, 2, 3]);
    const before = tf.memory().numTensors;
    const result = batchNormReluTraining(x, w, b, EPS);
    expect(tf.memory().numTensors).toBe(before + 3);
    expect(relativeError(moments.mean.dataSync(), result.mean.dataSync())).toBeLessThan(1e-6);
    expect(relativeError(moments.variance.dataSync(), result.variance.dataSync())).toBeLessThan(1e-6);
    expect(result.mean.shape).toEqual([4]);
    tf.dispose([result.y, result.mean, result.variance]);
    const grads = tf.grads((a) => batchNormReluTraining(a!, w, b, EPS).y)([x]);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([x, w, b, moments.mean, moments.variance, ...grads]);
  });

  it('rejects a weight that does not match the channels', () => {
    const x = tf.zeros([1, 2, 2, 2, 3]);
    const w = tf.ones([2]);
    expect(() => batchNormReluTraining(x, w, w, EPS)).toThrow(/3 channels, weight 2/);
    tf.dispose([x, w]);
  });
});

describe('batchNormReluTraining on wasm equals cpu', () => {
  /** y, mean, variance and the gradients of x, weight, bias for dy, on the active backend. */
  function run(relu: boolean, shape: number[]): Float32Array[] {
    return tf.tidy(() => {
      const c = shape[shape.length - 1]!;
      const x = seededTensor(shape, 11, -2, 3);
      const w = seededTensor([c], 12, -1.5, 1.5);
      const b = seededTensor([c], 13, -0.5, 0.5);
      const dy = seededTensor(shape, 14);
      const r = batchNormReluTraining(x, w, b, EPS, relu);
      const grads = tf.grads((a, ww, bb) => batchNormReluTraining(a!, ww!, bb!, EPS, relu).y)([x, w, b], dy);
      return [r.y, r.mean, r.variance, ...grads].map((t) => t.dataSync() as Float32Array);
    });
  }

  it.each([
    ['with ReLU', true, [2, 3, 4, 5, 6]],
    ['without ReLU', false, [2, 4, 3, 2, 5]],
    ['one voxel per sample', true, [4, 1, 1, 1, 3]],
    ['many channels', true, [1, 2, 3, 3, 70]],
  ])('%s', async (_name, relu, shape) => {
    await useBackend('cpu');
    const expected = run(relu, shape);
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const got = run(relu, shape);
    expect(tf.memory().numTensors).toBe(before);
    got.forEach((g, i) => expect(relativeError(expected[i]!, g)).toBeLessThan(1e-5));
  });
});
