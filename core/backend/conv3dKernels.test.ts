// Our wasm Conv3D kernels (forward, input and filter gradients) against the tfjs cpu backend on small
// random problems, and the check that they leave no tensor or heap allocation behind.

import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { SeededRandom } from '../common/random.js';
import { gatherLimits } from './depthFold.js';
import { registerWasmConv3dKernels, wasmConv3dKernelsRegistered } from './registerWasmConv3d.js';
import { shiftLimits } from './shiftedFilterGrad.js';
import { loadWasmBackend } from './wasmThreaded.js';

type Pad = 'same' | 'valid';
type Triple = [number, number, number];

interface Case {
  readonly batch: number;
  readonly size: Triple;
  readonly inC: number;
  readonly outC: number;
  readonly k: Triple;
  readonly stride: Triple;
  readonly pad: Pad;
}

// batch, [D, H, W], Ci, Co, kernel, strides, pad: kernels 1/3/7, strides 1/2, both paddings, sizes 5-12.
const CASES: Case[] = [
  c(1, [5, 5, 5], 1, 1, [1, 1, 1], [1, 1, 1], 'valid'),
  c(2, [6, 7, 5], 8, 3, [1, 1, 1], [1, 1, 1], 'same'),
  c(2, [8, 6, 7], 4, 6, [1, 1, 1], [2, 2, 2], 'valid'),
  c(1, [8, 8, 6], 3, 2, [1, 1, 1], [2, 2, 2], 'same'),
  c(1, [5, 6, 7], 2, 5, [3, 3, 3], [1, 1, 1], 'same'),
  c(2, [7, 5, 6], 8, 4, [3, 3, 3], [1, 1, 1], 'valid'),
  c(2, [9, 8, 10], 3, 7, [3, 3, 3], [2, 2, 2], 'same'),
  c(1, [10, 9, 8], 5, 2, [3, 3, 3], [2, 2, 2], 'valid'),
  c(1, [9, 7, 8], 2, 3, [3, 3, 3], [2, 1, 2], 'same'),
  c(1, [12, 10, 11], 1, 8, [7, 7, 7], [2, 2, 2], 'same'),
  c(2, [8, 9, 7], 2, 4, [7, 7, 7], [1, 1, 1], 'valid'),
  c(1, [7, 8, 9], 3, 2, [7, 7, 7], [1, 1, 1], 'same'),
  c(1, [11, 12, 10], 1, 3, [7, 7, 7], [2, 2, 2], 'valid'),
  c(2, [6, 7, 8], 4, 3, [1, 3, 3], [1, 1, 1], 'same'),
  // An even kernel: 'same' pads 0 in front and 1 behind.
  c(2, [6, 5, 7], 3, 4, [2, 2, 2], [1, 1, 1], 'same'),
  // kd*Ci >= 32: depth-only folding (the cases above with fewer channels also fold the width taps).
  c(2, [6, 7, 5], 16, 4, [3, 3, 3], [1, 1, 1], 'same'),
  c(1, [9, 8, 7], 12, 3, [3, 3, 3], [2, 2, 2], 'valid'),
  c(1, [10, 9, 11], 5, 2, [7, 7, 7], [2, 2, 2], 'same'),
];

function c(
  batch: number,
  size: Triple,
  inC: number,
  outC: number,
  k: Triple,
  stride: Triple,
  pad: Pad,
): Case {
  return { batch, size, inC, outC, k, stride, pad };
}

interface Results {
  readonly y: Float32Array;
  readonly dx: Float32Array;
  readonly dw: Float32Array;
}

/** conv3d and both gradients (for a random dy) of one case on the active backend. */
function runCase(cs: Case, xData: Float32Array, wData: Float32Array, seed: number): Results {
  return tf.tidy(() => {
    const x = tf.tensor5d(xData, [cs.batch, ...cs.size, cs.inC]);
    const w = tf.tensor5d(wData, [...cs.k, cs.inC, cs.outC]);
    const f = (a: tf.Tensor5D, b: tf.Tensor5D) => tf.conv3d(a, b, cs.stride, cs.pad);
    const y = f(x, w);
    const dy = tf.tensor(randoms(y.size, seed), y.shape);
    const [dx, dw] = tf.grads((a, b) => f(a as tf.Tensor5D, b as tf.Tensor5D))([x, w], dy);
    return {
      y: y.dataSync() as Float32Array,
      dx: dx!.dataSync() as Float32Array,
      dw: dw!.dataSync() as Float32Array,
    };
  });
}

function randoms(n: number, seed: number): Float32Array {
  const r = new SeededRandom(seed);
  return Float32Array.from({ length: n }, () => r.normal());
}

/** Max |a - b| divided by max(1, max |b|): the tolerance is relative to the values' magnitude. */
function relativeError(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

describe('wasm Conv3D kernels', () => {
  beforeAll(async () => {
    registerWasmConv3dKernels();
    await loadWasmBackend(2);
  });

  it('replace the stock wasm kernels', () => {
    expect(wasmConv3dKernelsRegistered()).toBe(true);
  });

  it.each(CASES.map((cs, i) => [describeCase(cs), cs, i] as const))(
    '%s: y, dx and dw equal the cpu backend',
    async (_name, cs, i) => {
      await expectSameAsCpu(cs, i);
    },
  );

  // A budget of a few hundred floats splits every gather into chunks of one or two planes.
  const chunked = [CASES[5]!, CASES[6]!, CASES[9]!, CASES[15]!];
  it.each(chunked.map((cs) => [describeCase(cs), cs] as const))(
    '%s: equal the cpu backend in chunks',
    async (_name, cs) => {
      const saved = gatherLimits.budgetFloats;
      gatherLimits.budgetFloats = 600;
      try {
        await expectSameAsCpu(cs, 50);
      } finally {
        gatherLimits.budgetFloats = saved;
      }
    },
  );

  // Stride-1 filter gradients as shifted products (shiftedFilterGrad.ts) and as the correlation, whichever
  // 'auto' would pick; with 7 grid positions per product every case runs in many chunks.
  const stride1 = CASES.filter((cs) => cs.stride.every((s) => s === 1) && cs.k.some((k) => k > 1));
  it.each(
    stride1.flatMap((cs) =>
      [
        { use: 'always' as const, rowsPerProduct: 1024 },
        { use: 'always' as const, rowsPerProduct: 7 },
        { use: 'never' as const, rowsPerProduct: 1024 },
      ].map((mode) => [`${describeCase(cs)} ${mode.use}/${mode.rowsPerProduct}`, cs, mode] as const),
    ),
  )('%s: the filter gradient paths equal the cpu backend', async (_name, cs, mode) => {
    const saved = { ...shiftLimits };
    Object.assign(shiftLimits, mode);
    try {
      await expectSameAsCpu(cs, 70);
    } finally {
      Object.assign(shiftLimits, saved);
    }
  });

  it('leave dilated convolutions to the stock kernel, with the same result as cpu', async () => {
    const xData = randoms(9 * 9 * 9 * 2, 7);
    const wData = randoms(3 * 3 * 3 * 2 * 3, 8);
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor5d(xData, [1, 9, 9, 9, 2]);
        const w = tf.tensor5d(wData, [3, 3, 3, 2, 3]);
        return tf.conv3d(x, w, 1, 'same', 'NDHWC', 2).dataSync() as Float32Array;
      });
    await tf.setBackend('cpu');
    const expected = run();
    await tf.setBackend('wasm');
    expect(relativeError(run(), expected)).toBeLessThanOrEqual(1e-4);
  });
});

/** Runs a case on cpu and wasm: same y, dx, dw within 1e-4 of the magnitude; wasm leaks nothing. */
async function expectSameAsCpu(cs: Case, seed: number): Promise<void> {
  const xData = randoms(cs.batch * cs.size[0] * cs.size[1] * cs.size[2] * cs.inC, 100 + seed);
  const wData = randoms(cs.k[0] * cs.k[1] * cs.k[2] * cs.inC * cs.outC, 200 + seed);
  await tf.setBackend('cpu');
  const expected = runCase(cs, xData, wData, 300 + seed);
  await tf.setBackend('wasm');
  const tensorsBefore = tf.memory().numTensors;
  const idsBefore = tf.backend().numDataIds();
  const got = runCase(cs, xData, wData, 300 + seed);
  expect(tf.memory().numTensors).toBe(tensorsBefore);
  expect(tf.backend().numDataIds()).toBe(idsBefore);
  expect(relativeError(got.y, expected.y)).toBeLessThanOrEqual(1e-4);
  expect(relativeError(got.dx, expected.dx)).toBeLessThanOrEqual(1e-4);
  expect(relativeError(got.dw, expected.dw)).toBeLessThanOrEqual(1e-4);
}

function describeCase(cs: Case): string {
  return `b${cs.batch} ${cs.size.join('x')} ${cs.inC}->${cs.outC} k${cs.k.join('')} s${cs.stride.join('')} ${cs.pad}`;
}
