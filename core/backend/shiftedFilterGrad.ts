// Conv3DBackpropFilterV2 for stride-1 convolutions as matrix products with shifted rows (issue #3,
// "Backends"). x and dy are laid out on one flat grid G [N, Dg, Hg, Wg] in which every kernel tap
// (kd, kh, kw) is a constant offset off = (kd*Hg + kh)*Wg + kw, so that
//   dw[tap, ci, co] = sum over grid positions u of xG[u, ci] * dyG[u - off, co],
// where xG holds x at (n, d + padFront, h + padTop, w + padLeft) and zeros elsewhere, and dyG holds dy
// at (n, od, oh, ow) (the corner of each output's window) and zeros elsewhere. Consecutive rows share
// their padding (Wg = W + max(padLeft, padRight), likewise Hg, Dg), so a window that runs past a row's
// end lands on zeros. For a chunk of positions the whole gradient is then ONE XNNPACK product
// [taps*Co, L] x [L, Ci]: the left operand's rows are contiguous runs of channel-major dyG (one copy
// per (tap, co)) and the right operand is a contiguous run of xG. This replaces the correlation of
// conv3dBackpropFilter.ts, whose conv2d has only kh output pixels per image (XNNPACK's row tiles ran
// part empty: ~29 GFLOP/s on the 24^3 dense layers).
// Layouts: x [N, D, H, W, Ci] (NDHWC), dy [N, OD, OH, OW, Co], dw [kd, kh, kw, Ci, Co].

import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { Conv3dGeometry } from './conv3dGeometry.js';
import { allocate, heapF32, matMul, prefixView, release, type WasmBackend } from './wasmHeap.js';

/**
 * Grid positions per product (the K of the GEMM). The right operand [L, Ci] is XNNPACK's packed weight
 * matrix, re-read for every block of output rows; 1024 x 128 floats (512 KiB) stay in the L2 cache.
 * Mutable so that tests can force several chunks.
 */
export const shiftLimits = {
  rowsPerProduct: 1024,
  /** 'auto': where shiftedWorkRatio is at most maxWorkRatio. Tests force either path. */
  use: 'auto' as 'auto' | 'always' | 'never',
  /**
   * DenseNet's dense layers, measured against the correlation: 24^3 (ratio 1.13) and 12^3 (1.27) ~1.2-1.4x
   * faster, 6^3 (1.59) no slower, 3^3 (2.37) slower.
   */
  maxWorkRatio: 2,
};

/** True when conv3dBackpropFilter should take the shifted products for g. */
export function useShiftedFilterGrad(g: Conv3dGeometry): boolean {
  if (!canShiftFilterGrad(g) || shiftLimits.use === 'never') return false;
  return shiftLimits.use === 'always' || shiftedWorkRatio(g) <= shiftLimits.maxWorkRatio;
}

/** The flat grid of a stride-1 convolution (see the file header). */
interface Grid {
  readonly Dg: number;
  readonly Hg: number;
  readonly Wg: number;
  /** Offsets of the taps, in (kd, kh, kw) order. */
  readonly offsets: Int32Array;
  /** First and one past the last grid position holding an x voxel. */
  readonly first: number;
  readonly end: number;
}

/** True when shiftedFilterGrad handles g: stride 1 and non-negative padding. */
export function canShiftFilterGrad(g: Conv3dGeometry): boolean {
  const pads = [g.padFront, g.padBack, g.padTop, g.padBottom, g.padLeft, g.padRight];
  return g.sD === 1 && g.sH === 1 && g.sW === 1 && pads.every((p) => p >= 0);
}

/**
 * Multiply-adds of the shifted products relative to the true filter gradient: grid positions over x
 * voxels (the shared padding costs more on small volumes: ~1.13 at 24^3, ~1.6 at 6^3).
 */
export function shiftedWorkRatio(g: Conv3dGeometry): number {
  const grid = gridOf(g);
  return (grid.end - grid.first) / (g.batch * g.inD * g.inH * g.inW);
}

function gridOf(g: Conv3dGeometry): Grid {
  const Dg = g.inD + Math.max(g.padFront, g.padBack);
  const Hg = g.inH + Math.max(g.padTop, g.padBottom);
  const Wg = g.inW + Math.max(g.padLeft, g.padRight);
  const offsets = new Int32Array(g.kD * g.kH * g.kW);
  let t = 0;
  for (let kd = 0; kd < g.kD; kd++)
    for (let kh = 0; kh < g.kH; kh++)
      for (let kw = 0; kw < g.kW; kw++) offsets[t++] = (kd * Hg + kh) * Wg + kw;
  const at = (n: number, d: number, h: number, w: number) =>
    ((n * Dg + d + g.padFront) * Hg + h + g.padTop) * Wg + w + g.padLeft;
  return {
    Dg,
    Hg,
    Wg,
    offsets,
    first: at(0, 0, 0, 0),
    end: at(g.batch - 1, g.inD - 1, g.inH - 1, g.inW - 1) + 1,
  };
}

/** dw → [kd, kh, kw, Ci, Co] for a stride-1 convolution (canShiftFilterGrad); the caller owns it. */
export function shiftedFilterGrad(
  backend: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  g: Conv3dGeometry,
): TensorInfo {
  const grid = gridOf(g);
  const taps = grid.offsets.length;
  const margin = grid.offsets[taps - 1]!;
  const dyT = channelMajorGrid(heapF32(backend, dy), g, grid, margin);
  const xG = gridRows(heapF32(backend, x), g, grid);
  const rows = taps * g.outC;
  const L = Math.max(1, Math.min(shiftLimits.rowsPerProduct, grid.end - grid.first));
  const sum = new Float32Array(rows * g.inC);
  const lhs = allocate(backend, [rows, L]);
  try {
    for (let u0 = grid.first; u0 < grid.end; u0 += L) {
      const len = Math.min(L, grid.end - u0);
      const a = prefixView(lhs, [rows, len]);
      fillShifted(dyT, heapF32(backend, a), grid, g.outC, margin, u0, len);
      // A fresh right operand per product: XNNPACK caches packed weights by tensor id.
      const rhs = allocate(backend, [len, g.inC]);
      try {
        const start = (u0 - grid.first) * g.inC;
        heapF32(backend, rhs).set(xG.subarray(start, start + len * g.inC));
        const part = matMul(backend, a, rhs);
        addInto(sum, heapF32(backend, part));
        release(backend, part);
      } finally {
        release(backend, rhs);
      }
    }
  } finally {
    release(backend, lhs);
  }
  const dw = allocate(backend, [g.kD, g.kH, g.kW, g.inC, g.outC]);
  tapMajorToFilter(sum, heapF32(backend, dw), taps, g.inC, g.outC);
  return dw;
}

/**
 * dy [N, OD, OH, OW, Co] → channel-major rows [Co, margin + N*Dg*Hg*Wg]: row co holds dy[..., co] at
 * margin + (n*Dg + od)*Hg*Wg + oh*Wg + ow and zeros elsewhere (the margin keeps u - off >= 0).
 */
function channelMajorGrid(dy: Float32Array, g: Conv3dGeometry, grid: Grid, margin: number): Float32Array {
  const rowLen = margin + g.batch * grid.Dg * grid.Hg * grid.Wg;
  const out = new Float32Array(g.outC * rowLen);
  const co = g.outC;
  let f = 0;
  for (let n = 0; n < g.batch; n++) {
    for (let od = 0; od < g.outD; od++) {
      for (let oh = 0; oh < g.outH; oh++) {
        const base = margin + ((n * grid.Dg + od) * grid.Hg + oh) * grid.Wg;
        for (let ow = 0; ow < g.outW; ow++, f += co) {
          for (let c = 0, t = base + ow; c < co; c++, t += rowLen) out[t] = dy[f + c]!;
        }
      }
    }
  }
  return out;
}

/** x [N, D, H, W, Ci] → grid rows [first, end) x Ci (NDHWC on the grid), zeros at padding positions. */
function gridRows(x: Float32Array, g: Conv3dGeometry, grid: Grid): Float32Array {
  const out = new Float32Array((grid.end - grid.first) * g.inC);
  const run = g.inW * g.inC;
  for (let n = 0; n < g.batch; n++) {
    for (let d = 0; d < g.inD; d++) {
      for (let h = 0; h < g.inH; h++) {
        const u = ((n * grid.Dg + d + g.padFront) * grid.Hg + h + g.padTop) * grid.Wg + g.padLeft;
        const src = ((n * g.inD + d) * g.inH + h) * run;
        out.set(x.subarray(src, src + run), (u - grid.first) * g.inC);
      }
    }
  }
  return out;
}

/** a[(t*Co + co), i] = dyT[co, margin + u0 + i - off_t] for i < len: one contiguous copy per row. */
function fillShifted(
  dyT: Float32Array,
  a: Float32Array,
  grid: Grid,
  co: number,
  margin: number,
  u0: number,
  len: number,
): void {
  const rowLen = dyT.length / co;
  for (let t = 0; t < grid.offsets.length; t++) {
    const shift = margin + u0 - grid.offsets[t]!;
    for (let c = 0; c < co; c++) {
      const from = c * rowLen + shift;
      a.set(dyT.subarray(from, from + len), (t * co + c) * len);
    }
  }
}

function addInto(sum: Float32Array, part: Float32Array): void {
  for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! + part[i]!;
}

/** dw[t, ci, co] = sum[(t*Co + co), ci]: a [Co, Ci] → [Ci, Co] transpose per tap. */
function tapMajorToFilter(sum: Float32Array, dw: Float32Array, taps: number, ci: number, co: number): void {
  for (let t = 0; t < taps; t++) {
    const base = t * ci * co;
    for (let c = 0; c < co; c++) {
      for (let i = 0; i < ci; i++) dw[base + i * co + c] = sum[base + c * ci + i]!;
    }
  }
}
