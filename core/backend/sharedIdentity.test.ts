// Our wasm Identity: tf.clone shares the input's heap buffer, and each handle outlives the other.

import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { registerWasmConv3dKernels } from './registerWasmConv3d.js';
import { loadWasmBackend } from './wasmThreaded.js';

describe('wasm Identity', () => {
  beforeAll(async () => {
    registerWasmConv3dKernels();
    await loadWasmBackend(2);
  });

  it('clones without a copy; disposing either handle leaves the other intact', () => {
    const x = tf.tensor3d([1, 2, 3, 4, 5, 6], [1, 2, 3]);
    const idsBefore = tf.backend().numDataIds();
    const y = tf.clone(x);
    expect(tf.backend().numDataIds()).toBe(idsBefore);
    expect(y.shape).toEqual([1, 2, 3]);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    const z = tf.clone(y);
    y.dispose();
    const sum = tf.add(z, 1);
    expect(Array.from(sum.dataSync())).toEqual([2, 3, 4, 5, 6, 7]);
    tf.dispose([sum, z]);
    expect(tf.backend().numDataIds()).toBe(idsBefore - 1);
  });
});
