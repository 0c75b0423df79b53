// rank4Padding: the rank-4 view that pads a rank-5 NDHWC tensor exactly as asked (the webgpu PadV2 fix;
// the kernel itself runs in webgpu.test.ts, on an adapter). Checked here against tf.pad on the cpu backend.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededTensor } from '../../model/testing/tensors.js';
import { rank4Padding } from './padRank5.js';

type Pads = [number, number][];

describe('rank4Padding', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each<[string, number[], Pads]>([
    ['the DenseNet stem (3 each side, 1 channel)', [2, 5, 4, 3, 1], [[0, 0], [3, 3], [3, 3], [3, 3], [0, 0]]],
    ['uneven padding, 3 channels', [1, 2, 3, 4, 3], [[0, 0], [1, 0], [0, 2], [2, 1], [0, 0]]],
    ['batch padded too', [2, 2, 2, 2, 2], [[1, 1], [1, 1], [0, 0], [1, 0], [0, 0]]],
  ])('%s: pads the [N, D, H, W*C] view to the same values', (_name, shape, paddings) => {
    const view = rank4Padding(shape, paddings)!;
    const x = seededTensor(shape, 3);
    const expected = tf.pad(x, paddings, 0.5);
    const got = tf.reshape(tf.pad(tf.reshape(x, view.shape), view.paddings, 0.5), expected.shape);
    expect(got.shape).toEqual(expected.shape);
    expect([...got.dataSync()]).toEqual([...expected.dataSync()]);
    tf.dispose([x, expected, got]);
  });

  it('leaves padded channels and other ranks to the stock kernel', () => {
    expect(rank4Padding([1, 2, 2, 2, 3], [[0, 0], [1, 1], [1, 1], [1, 1], [0, 1]])).toBeNull();
    expect(rank4Padding([2, 2, 2, 2], [[0, 0], [1, 1], [1, 1], [0, 0]])).toBeNull();
  });
});
