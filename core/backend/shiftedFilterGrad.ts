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
// part empty: ~29 GFLOP/s on the 24^3 dense layers). Where ONNX Runtime is there (nativeKernels.ts) the
// products run on MLAS instead, in longer chunks (issue #12: ~2x less CPU time for these gradients).
// Layouts: x [N, D, H, W, Ci] (NDHWC), dy [N, OD, OH, OW, Co], dw [kd, kh, kw, Ci, Co].

import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { Conv3dGeometry } from './conv3dGeometry.js';
import { nativeKernels, nativeScratch, type NativeKernels } from './nativeKernels.js';
import {
  allocate,
  heapF32,
  heapView,
  matMul,
  prefixView,
  release,
  releaseView,
  type WasmBackend,
} from './wasmHeap.js';

/**
 * Grid positions per product (the K of the GEMM). The right operand [L, Ci] is XNNPACK's packed weight
 * matrix, re-read for every block of output rows; 1024 x 128 floats (512 KiB) stay in the L2 cache.
 * Mutable so that tests can force several chunks.
 */
export const shiftLimits = {
  rowsPerProduct: 1024,
  /** The same on ONNX Runtime, whose products keep their speed with longer K (MLAS blocks K itself). */
  nativeRowsPerProduct: 4096,
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

/**
 * dw → [kd, kh, kw, Ci, Co] for a stride-1 convolution (canShiftFilterGrad); the caller owns it. The
 * products run on ONNX Runtime's native kernels where nativeKernels() has them, else on XNNPACK; either way
 * the chunks' [taps*Co, Ci] products are summed in float32, in grid order.
 */
export function shiftedFilterGrad(
  backend: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  g: Conv3dGeometry,
): TensorInfo {
  const grid = gridOf(g);
  const native = nativeKernels();
  const sum = native
    ? nativeProducts(native, backend, x, dy, g, grid)
    : wasmProducts(backend, x, dy, g, grid);
  const dw = allocate(backend, [g.kD, g.kH, g.kW, g.inC, g.outC]);
  tapMajorToFilter(sum, heapF32(backend, dw), grid.offsets.length, g.inC, g.outC);
  return dw;
}

/** The products on XNNPACK, every operand on the wasm heap; returns sum [taps*Co, Ci]. */
function wasmProducts(
  backend: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  g: Conv3dGeometry,
  grid: Grid,
): Float32Array {
  const taps = grid.offsets.length;
  const margin = grid.offsets[taps - 1]!;
  const positions = grid.end - grid.first;
  const rows = taps * g.outC;
  const L = Math.max(1, Math.min(shiftLimits.rowsPerProduct, positions));
  // Every scratch buffer lives on the wasm heap (fresh multi-MB JS arrays cost page faults and zeroing on
  // every call); all are allocated before the first heap view is taken.
  const dyT = allocate(backend, [g.outC, margin + g.batch * grid.Dg * grid.Hg * grid.Wg]);
  const xG = allocate(backend, [positions, g.inC]);
  const lhs = allocate(backend, [rows, L]);
  const sum = new Float32Array(rows * g.inC);
  try {
    channelMajorGrid(heapF32(backend, dy), heapF32(backend, dyT), g, grid, margin);
    gridRows(heapF32(backend, x), heapF32(backend, xG), g, grid);
    for (let u0 = grid.first; u0 < grid.end; u0 += L) {
      const len = Math.min(L, grid.end - u0);
      const a = prefixView(lhs, [rows, len]);
      fillShifted(heapF32(backend, dyT), heapF32(backend, a), grid, g.outC, margin + u0, len);
      // The right operand is xG's rows in place, under a fresh id: XNNPACK caches packed weights by id.
      const rhs = heapView(backend, xG, (u0 - grid.first) * g.inC, [len, g.inC]);
      try {
        const part = matMul(backend, a, rhs);
        addInto(sum, heapF32(backend, part));
        release(backend, part);
      } finally {
        releaseView(backend, rhs);
      }
    }
  } finally {
    release(backend, dyT, xG, lhs);
  }
  return sum;
}

/**
 * The products on ONNX Runtime (nativeKernels.ts), whose operands must be plain arrays: the same layouts
 * as wasmProducts, in scratch arrays kept between calls (nativeScratch). Returns sum [taps*Co, Ci].
 */
function nativeProducts(
  native: NativeKernels,
  backend: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  g: Conv3dGeometry,
  grid: Grid,
): Float32Array {
  const taps = grid.offsets.length;
  const margin = grid.offsets[taps - 1]!;
  const positions = grid.end - grid.first;
  const rows = taps * g.outC;
  const L = Math.max(1, Math.min(shiftLimits.nativeRowsPerProduct, positions));
  const dyT = nativeScratch('shift.dyT', g.outC * (margin + g.batch * grid.Dg * grid.Hg * grid.Wg));
  const xG = nativeScratch('shift.xG', positions * g.inC);
  const lhs = nativeScratch('shift.lhs', rows * L);
  const part = nativeScratch('shift.part', rows * g.inC);
  const sum = new Float32Array(rows * g.inC);
  channelMajorGrid(heapF32(backend, dy), dyT, g, grid, margin);
  gridRows(heapF32(backend, x), xG, g, grid);
  for (let u0 = grid.first; u0 < grid.end; u0 += L) {
    const len = Math.min(L, grid.end - u0);
    const a = lhs.subarray(0, rows * len);
    fillShifted(dyT, a, grid, g.outC, margin + u0, len);
    const start = (u0 - grid.first) * g.inC;
    native.matMul(a, rows, len, xG.subarray(start, start + len * g.inC), g.inC, part);
    addInto(sum, part);
  }
  return sum;
}

/**
 * dy [N, OD, OH, OW, Co] → out, channel-major rows [Co, margin + N*Dg*Hg*Wg]: row co holds dy[..., co]
 * at margin + (n*Dg + od)*Hg*Wg + oh*Wg + ow and zeros elsewhere (the margin keeps u - off >= 0). One
 * output row (OW voxels of dy) at a time, channel by channel: sequential writes, reads within ~OW*Co floats.
 */
function channelMajorGrid(
  dy: Float32Array,
  out: Float32Array,
  g: Conv3dGeometry,
  grid: Grid,
  margin: number,
): void {
  out.fill(0);
  const rowLen = out.length / g.outC;
  const co = g.outC;
  for (let n = 0, f = 0; n < g.batch; n++) {
    for (let od = 0; od < g.outD; od++) {
      for (let oh = 0; oh < g.outH; oh++, f += g.outW * co) {
        const base = margin + ((n * grid.Dg + od) * grid.Hg + oh) * grid.Wg;
        for (let c = 0; c < co; c++) {
          for (let ow = 0, s = f + c, t = c * rowLen + base; ow < g.outW; ow++, s += co, t++) out[t] = dy[s]!;
        }
      }
    }
  }
}

/**
 * x [N, D, H, W, Ci] → out, the grid rows [first, end) x Ci (NDHWC on the grid), zeros at padding
 * positions: one copy per run of W voxels, the gaps between runs zeroed.
 */
function gridRows(x: Float32Array, out: Float32Array, g: Conv3dGeometry, grid: Grid): void {
  const copy = copier(x, out);
  const run = g.inW * g.inC;
  let written = 0;
  for (let n = 0; n < g.batch; n++) {
    for (let d = 0; d < g.inD; d++) {
      for (let h = 0; h < g.inH; h++) {
        const u = ((n * grid.Dg + d + g.padFront) * grid.Hg + h + g.padTop) * grid.Wg + g.padLeft;
        const dst = (u - grid.first) * g.inC;
        out.fill(0, written, dst);
        copy(((n * g.inD + d) * g.inH + h) * run, dst, run);
        written = dst + run;
      }
    }
  }
}

/** a[(t*Co + co), i] = dyT[co, start + i - off_t] for i < len (a [taps*Co, len]): one copy per row. */
function fillShifted(
  dyT: Float32Array,
  a: Float32Array,
  grid: Grid,
  co: number,
  start: number,
  len: number,
): void {
  const copy = copier(dyT, a);
  const rowLen = dyT.length / co;
  for (let t = 0; t < grid.offsets.length; t++) {
    const shift = start - grid.offsets[t]!;
    for (let c = 0; c < co; c++) copy(shift + c * rowLen, (t * co + c) * len, len);
  }
}

/**
 * copy(from, to, len): dst[to + i] = src[from + i] for i < len. Arrays on one buffer (the wasm heap) copy
 * with copyWithin on the whole buffer (no subarray object per run), others with set.
 */
function copier(src: Float32Array, dst: Float32Array): (from: number, to: number, len: number) => void {
  if (src.buffer !== dst.buffer) return (from, to, len) => dst.set(src.subarray(from, from + len), to);
  const heap = new Float32Array(dst.buffer, 0, dst.buffer.byteLength >>> 2);
  const s0 = src.byteOffset >>> 2;
  const d0 = dst.byteOffset >>> 2;
  return (from, to, len) => heap.copyWithin(d0 + to, s0 + from, s0 + from + len);
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
