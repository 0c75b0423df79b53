import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { describe, expect, it } from 'vitest';
import { channelAffine } from './channelAffine.js';
import { useBackend } from './testing/backends.js';
import { relativeError, seededTensor } from './testing/tensors.js';

/** The reference: broadcast multiply, add and ReLU, differentiated by tfjs's own gradients. */
function composed(x: tf.Tensor, s: tf.Tensor, b: tf.Tensor, relu: boolean): tf.Tensor {
  const y = tf.add(tf.mul(x, s), b);
  return relu ? tf.relu(y) : y;
}

describe('channelAffine (channels last)', () => {
  it.each([
    ['cpu', 'NDHWC with ReLU', true, [2, 3, 4, 5, 6]],
    ['cpu', 'NDHWC without ReLU', false, [2, 3, 4, 5, 6]],
    ['cpu', '[batch, features] with ReLU', true, [3, 7]],
    ['wasm', 'NDHWC with ReLU', true, [2, 3, 4, 5, 6]],
    ['wasm', 'NDHWC without ReLU', false, [1, 2, 2, 2, 5]],
  ] as const)('%s, %s: output and gradients equal the composed ops', async (backend, _name, relu, shape) => {
    await useBackend(backend);
    const c = shape[shape.length - 1]!;
    const x = seededTensor([...shape], 1, -2, 3);
    const s = seededTensor([c], 2, -1.5, 1.5);
    const b = seededTensor([c], 3, -0.5, 0.5);
    const dy = seededTensor([...shape], 4);
    const expected = tf.tidy(() => composed(x, s, b, relu));
    const actual = channelAffine(x, s, b, relu);
    expect(actual.shape).toEqual(shape);
    expect(relativeError(expected.dataSync(), actual.dataSync())).toBeLessThan(1e-6);
    const reference = tf.grads((a, ss, bb) => composed(a!, ss!, bb!, relu))([x, s, b], dy);
    const ours = tf.grads((a, ss, bb) => channelAffine(a!, ss!, bb!, relu))([x, s, b], dy);
    reference.forEach((g, i) => expect(relativeError(g.dataSync(), ours[i]!.dataSync())).toBeLessThan(1e-5));
    tf.dispose([x, s, b, dy, expected, actual, ...reference, ...ours]);
  });
});
