// Our wasm AvgPool3D and AvgPool3DGrad (tiling windows) against the tfjs cpu backend: the same values bit
// for bit; overlapping or padded pools go to the stock kernels, within float32 rounding of cpu.

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
  readonly pad: 'same' | 'valid';
  /** True when our kernels take it (windows tile the volume): then equal bit for bit. */
  readonly ours: boolean;
}

const CASES: Case[] = [
  // DenseNet's transition pool, and sizes the windows do not divide (the last voxels get no gradient).
  { batch: 2, size: [8, 8, 8], channels: 5, filter: [2, 2, 2], stride: [2, 2, 2], pad: 'valid', ours: true },
  { batch: 1, size: [7, 9, 6], channels: 3, filter: [2, 2, 2], stride: [2, 2, 2], pad: 'valid', ours: true },
  { batch: 1, size: [9, 6, 7], channels: 70, filter: [3, 2, 1], stride: [3, 2, 1], pad: 'valid', ours: true },
  { batch: 2, size: [6, 5, 7], channels: 4, filter: [3, 3, 3], stride: [1, 1, 1], pad: 'same', ours: false },
  { batch: 1, size: [8, 7, 9], channels: 2, filter: [2, 2, 2], stride: [1, 1, 1], pad: 'valid', ours: false },
];

function runCase(cs: Case, xData: Float32Array, dyData: (n: number) => Float32Array) {
  return tf.tidy(() => {
    const x = tf.tensor5d(xData, [cs.batch, ...cs.size, cs.channels]);
    const f = (a: tf.Tensor5D) => tf.avgPool3d(a, cs.filter, cs.stride, cs.pad);
    const y = f(x);
    const dy = tf.tensor(dyData(y.size), y.shape);
    const dx = tf.grad((a) => f(a as tf.Tensor5D))(x, dy);
    return { y: y.dataSync() as Float32Array, dx: dx.dataSync() as Float32Array };
  });
}

function randoms(n: number, seed: number): Float32Array {
  const r = new SeededRandom(seed);
  return Float32Array.from({ length: n }, () => r.normal());
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
  return diff;
}

describe('wasm AvgPool3D kernels', () => {
  beforeAll(async () => {
    registerWasmConv3dKernels();
    await loadWasmBackend(2);
  });

  it.each(CASES.map((cs, i) => [describeCase(cs), cs, i] as const))(
    '%s: y and dx equal the cpu backend',
    async (_name, cs, i) => {
      const xData = randoms(cs.batch * cs.size[0] * cs.size[1] * cs.size[2] * cs.channels, 40 + i);
      const dyData = (n: number) => randoms(n, 60 + i);
      await tf.setBackend('cpu');
      const expected = runCase(cs, xData, dyData);
      await tf.setBackend('wasm');
      const idsBefore = tf.backend().numDataIds();
      const got = runCase(cs, xData, dyData);
      expect(tf.backend().numDataIds()).toBe(idsBefore);
      const tolerance = cs.ours ? 0 : 1e-6;
      expect(maxAbsDiff(got.y, expected.y)).toBeLessThanOrEqual(tolerance);
      expect(maxAbsDiff(got.dx, expected.dx)).toBeLessThanOrEqual(tolerance);
    },
  );
});

function describeCase(cs: Case): string {
  return `b${cs.batch} ${cs.size.join('x')} c${cs.channels} f${cs.filter.join('')} s${cs.stride.join('')} ${cs.pad}`;
}
