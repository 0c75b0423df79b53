// ONNX Runtime's matrix products (nativeKernels.ts) and the kernels that use them (the shifted filter
// gradient, the pointwise forward and filter gradient) against plain float64 references, over odd shapes
// and chunk sizes that leave a partial last chunk; the XNNPACK paths ('off') against the same references.

import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom } from '../common/random.js';
import { conv3dBackpropFilter } from './conv3dBackpropFilter.js';
import { conv3dBackpropInput, conv3dForward } from './conv3dForward.js';
import { conv3dGeometry, type Conv3dGeometry } from './conv3dGeometry.js';
import { nativeKernels, nativeKernelSettings, nativeKernelsUnavailable } from './nativeKernels.js';
import { registerWasmConv3dKernels } from './registerWasmConv3d.js';
import { shiftedFilterGrad, shiftLimits } from './shiftedFilterGrad.js';
import { heapF32, release, type WasmBackend } from './wasmHeap.js';
import { loadWasmBackend } from './wasmThreaded.js';

type Triple = [number, number, number];

function randoms(n: number, seed: number): Float32Array {
  const r = new SeededRandom(seed);
  return Float32Array.from({ length: n }, () => r.normal());
}

/** max |got - want| / max |want|. */
function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  expect(got.length).toBe(want.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i]! - want[i]!));
    scale = Math.max(scale, Math.abs(want[i]!));
  }
  return diff / scale;
}

/** c [m, n] = a [m, k] b [k, n] (or a^T b for a [k, m]) in float64. */
function product(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++) {
      const av = transA ? a[p * m + i]! : a[i * k + p]!;
      for (let j = 0; j < n; j++) c[i * n + j]! += av * b[p * n + j]!;
    }
  return c;
}

/** dw[kd, kh, kw, ci, co] of a stride-1 conv3d (x NDHWC, dy [N, OD, OH, OW, Co]) in float64. */
function filterGradReference(x: Float32Array, dy: Float32Array, g: Conv3dGeometry): Float64Array {
  const dw = new Float64Array(g.kD * g.kH * g.kW * g.inC * g.outC);
  for (let n = 0; n < g.batch; n++)
    for (let od = 0; od < g.outD; od++)
      for (let oh = 0; oh < g.outH; oh++)
        for (let ow = 0; ow < g.outW; ow++) {
          const dyAt = (((n * g.outD + od) * g.outH + oh) * g.outW + ow) * g.outC;
          for (let kd = 0; kd < g.kD; kd++)
            for (let kh = 0; kh < g.kH; kh++)
              for (let kw = 0; kw < g.kW; kw++) {
                const [d, h, w] = [od + kd - g.padFront, oh + kh - g.padTop, ow + kw - g.padLeft];
                if (d < 0 || d >= g.inD || h < 0 || h >= g.inH || w < 0 || w >= g.inW) continue;
                const xAt = (((n * g.inD + d) * g.inH + h) * g.inW + w) * g.inC;
                const tap = ((kd * g.kH + kh) * g.kW + kw) * g.inC * g.outC;
                for (let ci = 0; ci < g.inC; ci++)
                  for (let co = 0; co < g.outC; co++)
                    dw[tap + ci * g.outC + co]! += x[xAt + ci]! * dy[dyAt + co]!;
              }
        }
  return dw;
}

/** y of a stride-1 conv3d (x NDHWC, filter [kd, kh, kw, Ci, Co]) in float64. */
function forwardReference(x: Float32Array, w: Float32Array, g: Conv3dGeometry): Float64Array {
  const y = new Float64Array(g.batch * g.outD * g.outH * g.outW * g.outC);
  forEachTap(g, (xAt, yAt, tap) => {
    for (let ci = 0; ci < g.inC; ci++)
      for (let co = 0; co < g.outC; co++) y[yAt + co]! += x[xAt + ci]! * w[tap + ci * g.outC + co]!;
  });
  return y;
}

/** dx of a stride-1 conv3d for dy [N, OD, OH, OW, Co] in float64. */
function inputGradReference(dy: Float32Array, w: Float32Array, g: Conv3dGeometry): Float64Array {
  const dx = new Float64Array(g.batch * g.inD * g.inH * g.inW * g.inC);
  forEachTap(g, (xAt, yAt, tap) => {
    for (let ci = 0; ci < g.inC; ci++)
      for (let co = 0; co < g.outC; co++) dx[xAt + ci]! += dy[yAt + co]! * w[tap + ci * g.outC + co]!;
  });
  return dx;
}

/** Calls f(x offset, y offset, filter tap offset) for every output voxel and tap inside x (stride 1). */
function forEachTap(g: Conv3dGeometry, f: (xAt: number, yAt: number, tap: number) => void): void {
  for (let n = 0; n < g.batch; n++)
    for (let od = 0; od < g.outD; od++)
      for (let oh = 0; oh < g.outH; oh++)
        for (let ow = 0; ow < g.outW; ow++)
          for (let kd = 0; kd < g.kD; kd++)
            for (let kh = 0; kh < g.kH; kh++)
              for (let kw = 0; kw < g.kW; kw++) {
                const [d, h, w] = [od + kd - g.padFront, oh + kh - g.padTop, ow + kw - g.padLeft];
                if (d < 0 || d >= g.inD || h < 0 || h >= g.inH || w < 0 || w >= g.inW) continue;
                f(
                  (((n * g.inD + d) * g.inH + h) * g.inW + w) * g.inC,
                  (((n * g.outD + od) * g.outH + oh) * g.outW + ow) * g.outC,
                  ((kd * g.kH + kh) * g.kW + kw) * g.inC * g.outC,
                );
              }
}

describe('nativeKernels', () => {
  const savedGemm = { ...nativeKernelSettings };
  const savedShift = { ...shiftLimits };
  beforeAll(async () => {
    registerWasmConv3dKernels();
    await loadWasmBackend(2);
  });
  afterEach(() => {
    Object.assign(nativeKernelSettings, savedGemm);
    Object.assign(shiftLimits, savedShift);
  });

  it('loads onnxruntime-node here', () => {
    expect(nativeKernels()).not.toBeNull();
    expect(nativeKernelsUnavailable()).toBeNull();
  });

  it('is switched off by use: off, and says so', () => {
    nativeKernelSettings.use = 'off';
    expect(nativeKernels()).toBeNull();
    expect(nativeKernelsUnavailable()).toMatch(/switched off/);
  });

  it.each([
    [1, 1, 1, 1],
    [3, 5, 7, 2],
    [17, 33, 9, 1],
    [64, 300, 130, 2],
  ])(
    'matMul and matMulTransA [%i x %i] x [%i] on %i thread(s) equal float64 products',
    (m, k, n, threads) => {
      nativeKernelSettings.threads = threads;
      const gemm = nativeKernels()!;
      const a = randoms(m * k, m + k);
      const b = randoms(k * n, k + n);
      const c = new Float32Array(m * n);
      gemm.matMul(a, m, k, b, n, c);
      expect(relativeError(c, product(a, b, m, k, n, false))).toBeLessThanOrEqual(1e-5);
      // The same a read as [k, m]: a^T b.
      const t = new Float32Array(m * n);
      gemm.matMulTransA(a, k, m, randoms(k * n, 5), n, t);
      expect(relativeError(t, product(a, randoms(k * n, 5), m, k, n, true))).toBeLessThanOrEqual(1e-5);
    },
  );

  // batch, [D, H, W], Ci, Co, kernel, pad, grid positions per native product.
  const FILTER_CASES: Array<[number, Triple, number, number, Triple, 'same' | 'valid', number]> = [
    [1, [5, 6, 7], 3, 5, [3, 3, 3], 'same', 4096],
    [2, [7, 5, 6], 8, 4, [3, 3, 3], 'valid', 7],
    [2, [6, 7, 5], 5, 3, [1, 3, 3], 'same', 50],
    [1, [6, 5, 7], 3, 4, [2, 2, 2], 'same', 33],
    [2, [4, 5, 3], 6, 2, [3, 3, 3], 'same', 1],
  ];
  it.each(FILTER_CASES)(
    'shifted filter gradient b%i %j %i->%i k%j %s (%i positions a product) equals float64, native and XNNPACK',
    (batch, size, ci, co, k, pad, rows) => {
      shiftLimits.nativeRowsPerProduct = rows;
      shiftLimits.rowsPerProduct = rows;
      const backend = tf.backend() as WasmBackend;
      const xData = randoms(batch * size[0] * size[1] * size[2] * ci, 11 + ci);
      const x = tf.tensor5d(xData, [batch, ...size, ci]);
      const g = conv3dGeometry(x.shape, [...k, ci, co], 1, pad);
      const dyData = randoms(batch * g.outD * g.outH * g.outW * co, 12 + co);
      const dy = tf.tensor5d(dyData, [batch, g.outD, g.outH, g.outW, co]);
      const want = filterGradReference(xData, dyData, g);
      for (const use of ['auto', 'off'] as const) {
        nativeKernelSettings.use = use;
        const ids = backend.numDataIds();
        const dw = shiftedFilterGrad(backend, x, dy, g);
        const got = Float32Array.from(heapF32(backend, dw));
        release(backend, dw);
        expect(backend.numDataIds()).toBe(ids);
        expect(relativeError(got, want)).toBeLessThanOrEqual(1e-5);
      }
      tf.dispose([x, dy]);
    },
  );

  // batch, [D, H, W], Ci, Co: Ci < Co, Ci > Co.
  it.each([
    [1, [5, 5, 5] as Triple, 1, 1],
    [2, [6, 7, 5] as Triple, 8, 3],
    [2, [3, 5, 7] as Triple, 3, 9],
    [1, [9, 8, 7] as Triple, 130, 96],
  ])(
    'pointwise forward and filter gradient b%i %j %i->%i equal float64, native and XNNPACK',
    (batch, size, ci, co) => {
      const backend = tf.backend() as WasmBackend;
      const voxels = batch * size[0] * size[1] * size[2];
      const xData = randoms(voxels * ci, 21 + ci);
      const wData = randoms(ci * co, 22 + co);
      const dyData = randoms(voxels * co, 23 + co);
      const x = tf.tensor5d(xData, [batch, ...size, ci]);
      const w = tf.tensor5d(wData, [1, 1, 1, ci, co]);
      const dy = tf.tensor5d(dyData, [batch, ...size, co]);
      const g = conv3dGeometry(x.shape, w.shape, 1, 'valid');
      for (const use of ['auto', 'off'] as const) {
        nativeKernelSettings.use = use;
        const ids = backend.numDataIds();
        const y = conv3dForward(backend, x, w, g);
        expect(
          relativeError(heapF32(backend, y), product(xData, wData, voxels, ci, co, false)),
        ).toBeLessThanOrEqual(1e-5);
        const dw = conv3dBackpropFilter(backend, x, dy, g);
        expect(
          relativeError(heapF32(backend, dw), product(xData, dyData, ci, voxels, co, true)),
        ).toBeLessThanOrEqual(1e-5);
        release(backend, y, dw);
        expect(backend.numDataIds()).toBe(ids);
      }
      tf.dispose([x, w, dy]);
    },
  );

  it.each(FILTER_CASES)(
    'conv3d forward and input gradient b%i %j %i->%i k%j %s equal float64, native and XNNPACK',
    (batch, size, ci, co, k, pad) => {
      const backend = tf.backend() as WasmBackend;
      const xData = randoms(batch * size[0] * size[1] * size[2] * ci, 31 + ci);
      const wData = randoms(k[0] * k[1] * k[2] * ci * co, 32 + co);
      const x = tf.tensor5d(xData, [batch, ...size, ci]);
      const w = tf.tensor5d(wData, [...k, ci, co]);
      const g = conv3dGeometry(x.shape, w.shape, 1, pad);
      const dyData = randoms(batch * g.outD * g.outH * g.outW * co, 33 + co);
      const dy = tf.tensor5d(dyData, [batch, g.outD, g.outH, g.outW, co]);
      for (const use of ['auto', 'off'] as const) {
        nativeKernelSettings.use = use;
        const ids = backend.numDataIds();
        const y = conv3dForward(backend, x, w, g);
        expect(relativeError(heapF32(backend, y), forwardReference(xData, wData, g))).toBeLessThanOrEqual(
          1e-5,
        );
        const dx = conv3dBackpropInput(backend, dy, w, g);
        expect(relativeError(heapF32(backend, dx), inputGradReference(dyData, wData, g))).toBeLessThanOrEqual(
          1e-5,
        );
        release(backend, y, dx);
        expect(backend.numDataIds()).toBe(ids);
      }
      tf.dispose([x, w, dy]);
    },
  );
});
