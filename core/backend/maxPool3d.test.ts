// Our wasm MaxPool3D and MaxPool3DGrad against the tfjs cpu backend on small random volumes, with many
// ties (ReLU-like zeros) so that the choice of each window's winner is checked too.

import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { SeededRandom } from '../common/random.js';
import { registerWasmConv3dKernels } from './registerWasmConv3d.js';
import { loadWasmBackend } from './wasmThreaded.js';

type Triple = [number, number, number];

interface Case {
  readonly batch: number;
  readonly size: Triple;
  readonly channels: number;
  readonly filter: Triple;
  readonly stride: Triple;
  readonly pad: 'same' | 'valid' | number;
}

// DenseNet's stem pool (3, stride 2, pad 1, floor) and others: filters 1-3, strides 1-2, all paddings.
const CASES: Case[] = [
  { batch: 2, size: [8, 8, 8], channels: 5, filter: [3, 3, 3], stride: [2, 2, 2], pad: 1 },
  { batch: 1, size: [7, 9, 6], channels: 3, filter: [3, 3, 3], stride: [2, 2, 2], pad: 1 },
  { batch: 2, size: [6, 5, 7], channels: 4, filter: [3, 3, 3], stride: [1, 1, 1], pad: 'same' },
  { batch: 1, size: [9, 8, 7], channels: 2, filter: [2, 2, 2], stride: [2, 2, 2], pad: 'valid' },
  // Height = width: tfjs-backend-cpu's maxPool3dPositions numbers window rows with the filter's height
  // where its width belongs, so its gradient is wrong for filters with kh != kw.
  { batch: 1, size: [7, 6, 9], channels: 6, filter: [3, 2, 2], stride: [2, 1, 2], pad: 'same' },
  { batch: 2, size: [5, 6, 5], channels: 1, filter: [1, 1, 1], stride: [1, 1, 1], pad: 'valid' },
  { batch: 1, size: [10, 9, 8], channels: 3, filter: [3, 3, 3], stride: [2, 2, 2], pad: 'valid' },
];

/** y and dx (for a random dy) of one case on the active backend. */
function runCase(cs: Case, xData: Float32Array, seed: number): { y: Float32Array; dx: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor5d(xData, [cs.batch, ...cs.size, cs.channels]);
    const rounding = typeof cs.pad === 'number' ? 'floor' : undefined;
    const f = (a: tf.Tensor5D) => tf.maxPool3d(a, cs.filter, cs.stride, cs.pad, rounding);
    const y = f(x);
    const dy = tf.tensor(randoms(y.size, seed, false), y.shape);
    const dx = tf.grad((a) => f(a as tf.Tensor5D))(x, dy);
    return { y: y.dataSync() as Float32Array, dx: dx.dataSync() as Float32Array };
  });
}

/** Normal values; with `ties`, negatives become 0 (a ReLU's output) and values are rounded to 0.5. */
function randoms(n: number, seed: number, ties: boolean): Float32Array {
  const r = new SeededRandom(seed);
  return Float32Array.from({ length: n }, () => {
    const v = r.normal();
    return ties ? Math.max(0, Math.round(v * 2) / 2) : v;
  });
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
  return diff;
}

describe('wasm MaxPool3D kernels', () => {
  beforeAll(async () => {
    registerWasmConv3dKernels();
    await loadWasmBackend(2);
  });

  it.each(CASES.map((cs, i) => [describeCase(cs), cs, i] as const))(
    '%s: y and dx equal the cpu backend, ties included',
    async (_name, cs, i) => {
      for (const ties of [false, true]) {
        const xData = randoms(cs.batch * cs.size[0] * cs.size[1] * cs.size[2] * cs.channels, 10 + i, ties);
        await tf.setBackend('cpu');
        const expected = runCase(cs, xData, 20 + i);
        await tf.setBackend('wasm');
        const tensorsBefore = tf.memory().numTensors;
        const idsBefore = tf.backend().numDataIds();
        const got = runCase(cs, xData, 20 + i);
        expect(tf.memory().numTensors).toBe(tensorsBefore);
        expect(tf.backend().numDataIds()).toBe(idsBefore);
        expect(maxAbsDiff(got.y, expected.y)).toBe(0);
        // Overlapping windows (stride 1) add up to 27 dy per voxel, in another order than cpu.
        expect(maxAbsDiff(got.dx, expected.dx)).toBeLessThanOrEqual(1e-5);
      }
    },
  );
});

function describeCase(cs: Case): string {
  return `b${cs.batch} ${cs.size.join('x')} c${cs.channels} f${cs.filter.join('')} s${cs.stride.join('')} ${cs.pad}`;
}
