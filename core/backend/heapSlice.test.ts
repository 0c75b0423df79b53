// Our wasm Slice against the tfjs cpu backend: ranks 1-5, cuts on every axis, whole-axis runs, -1 sizes.

import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerWasmConv3dKernels } from './registerWasmConv3d.js';
import { loadWasmBackend } from './wasmThreaded.js';

// shape, begin, size
const CASES: Array<[number[], number[], number[]]> = [
  [[10], [3], [5]],
  [
    [6, 224],
    [0, 0],
    [6, 192],
  ],
  [
    [6, 224],
    [0, 192],
    [6, 32],
  ],
  [
    [7, 9],
    [2, 1],
    [4, -1],
  ],
  [
    [4, 5, 6],
    [1, 0, 0],
    [2, 5, 6],
  ],
  [
    [4, 5, 6],
    [0, 2, 0],
    [4, 2, 6],
  ],
  [
    [4, 5, 6],
    [1, 1, 3],
    [3, 3, 2],
  ],
  [
    [2, 3, 4, 5, 70],
    [1, 0, 1, 2, 0],
    [1, 3, 2, 3, 70],
  ],
  [
    [2, 3, 4, 5, 70],
    [0, 1, 0, 0, 5],
    [2, 2, 4, 5, 65],
  ],
  [
    [2, 3, 4, 5, 6],
    [0, 0, 0, 0, 0],
    [2, 3, 4, 5, 6],
  ],
  [
    [3, 4],
    [1, 2],
    [0, 2],
  ],
];

describe('wasm Slice', () => {
  beforeAll(async () => {
    registerWasmConv3dKernels();
    await loadWasmBackend(2);
  });

  it.each(
    CASES.map(
      (cs) => [`${cs[0].join('x')} from [${cs[1].join(',')}] size [${cs[2].join(',')}]`, cs] as const,
    ),
  )('%s equals the cpu backend', async (_name, [shape, begin, size]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = Float32Array.from({ length: n }, (_, i) => i * 0.5 - 7);
    const run = () =>
      tf.tidy(() => {
        const y = tf.slice(tf.tensor(values, shape), begin, size);
        return { shape: y.shape, data: Array.from(y.dataSync()) };
      });
    await tf.setBackend('cpu');
    const expected = run();
    await tf.setBackend('wasm');
    const idsBefore = tf.backend().numDataIds();
    expect(run()).toEqual(expected);
    expect(tf.backend().numDataIds()).toBe(idsBefore);
  });

  it('leaves int32 to the stock kernel, with the same values', () => {
    const y = tf.tidy(() =>
      Array.from(tf.slice(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32'), [0, 1], [2, 2]).dataSync()),
    );
    expect(y).toEqual([2, 3, 5, 6]);
  });
});
