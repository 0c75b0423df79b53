// MaxPool3D and MaxPool3DGrad for the 'wasm' backend as plain loops over the heap (DenseNet's stem pool,
// 3^3 stride 2 on [2, 48^3, 64] in a batch-2 step). tfjs-backend-wasm 4.22's C++ kernels took 0.21 s
// (forward) and 0.73 s (gradient) there; these take a fraction of that. The gradient finds each window's
// winner as the cpu backend does (the LAST voxel in (d, h, w) order whose value is >= every earlier one,
// tfjs-backend-cpu pool_utils maxPool3dPositions), so ties (ReLU zeros) route dy to the same voxel.
// Layouts: x / dx [N, D, H, W, C] (NDHWC), y / dy [N, OD, OH, OW, C].

import { backend_util, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { allocate, heapF32, release, reshaped, runWasmKernel, type WasmBackend } from './wasmHeap.js';

type Pool3DInfo = backend_util.Conv3DInfo;

/** Pool attributes as the MaxPool3D / MaxPool3DGrad kernels receive them. */
export interface Pool3dAttrs {
  readonly filterSize: number | [number, number, number];
  readonly strides: number | [number, number, number];
  readonly pad: 'valid' | 'same' | number;
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
  readonly dilations?: number | [number, number, number];
}

/** The pooling geometry (tfjs's own computePool3DInfo), or null when we leave it to the stock kernel. */
export function pool3dInfo(xShape: number[], attrs: Pool3dAttrs, dtype: string): Pool3DInfo | null {
  const d = attrs.dilations ?? 1;
  const plain = d === 1 || (Array.isArray(d) && d.every((v) => v === 1));
  if (!plain || dtype !== 'float32' || xShape.length !== 5) return null;
  return backend_util.computePool3DInfo(
    xShape as [number, number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
}

/** The window of output (od, oh, ow), clipped to the input: [start, end) per axis. */
interface Window {
  d0: number;
  d1: number;
  h0: number;
  h1: number;
  w0: number;
  w1: number;
}

function windowOf(info: Pool3DInfo, od: number, oh: number, ow: number, win: Window): void {
  const d = od * info.strideDepth - info.padInfo.front;
  const h = oh * info.strideHeight - info.padInfo.top;
  const w = ow * info.strideWidth - info.padInfo.left;
  win.d0 = Math.max(0, d);
  win.d1 = Math.min(info.inDepth, d + info.filterDepth);
  win.h0 = Math.max(0, h);
  win.h1 = Math.min(info.inHeight, h + info.filterHeight);
  win.w0 = Math.max(0, w);
  win.w1 = Math.min(info.inWidth, w + info.filterWidth);
}

/**
 * Calls `visit(o, n, win)` for every output voxel in order, o its offset in y (times C). Windows that hold
 * no input voxel (possible only with huge padding) are skipped: they pass no gradient.
 */
function forEachWindow(info: Pool3DInfo, visit: (o: number, n: number, win: Window) => void): void {
  const win: Window = { d0: 0, d1: 0, h0: 0, h1: 0, w0: 0, w1: 0 };
  let o = 0;
  for (let n = 0; n < info.batchSize; n++) {
    for (let od = 0; od < info.outDepth; od++) {
      for (let oh = 0; oh < info.outHeight; oh++) {
        for (let ow = 0; ow < info.outWidth; ow++, o += info.inChannels) {
          windowOf(info, od, oh, ow, win);
          if (win.d0 < win.d1 && win.h0 < win.h1 && win.w0 < win.w1) visit(o, n, win);
        }
      }
    }
  }
}

/**
 * y = max over each window → [N, OD, OH, OW, C]; the caller owns the result. Separable, which is exact for
 * a max: XNNPACK's 2D max pool over (h, w) of every depth plane ([N*D, H, W, C], padding never wins),
 * then the max over each window's depth planes.
 */
export function maxPool3dForward(backend: WasmBackend, x: TensorInfo, info: Pool3DInfo): TensorInfo {
  const p = info.padInfo;
  const planes = runWasmKernel(
    'MaxPool',
    backend,
    { x: reshaped(x, [info.batchSize * info.inDepth, info.inHeight, info.inWidth, info.inChannels]) },
    {
      filterSize: [info.filterHeight, info.filterWidth],
      strides: [info.strideHeight, info.strideWidth],
      pad: [
        [0, 0],
        [p.top, p.bottom],
        [p.left, p.right],
        [0, 0],
      ],
    } as unknown as NamedAttrMap,
  );
  try {
    const [, oh, ow] = planes.shape;
    if (oh !== info.outHeight || ow !== info.outWidth)
      throw new Error(
        `maxPool3dForward: 2D pool gave ${oh}x${ow}, expected ${info.outHeight}x${info.outWidth}`,
      );
    const out = allocate(backend, info.outShape);
    maxOverDepth(heapF32(backend, planes), heapF32(backend, out), info);
    return out;
  } finally {
    release(backend, planes);
  }
}

/** y[n, od] = max of t[n, d] over the window's depth planes d (t: [N, D, OH, OW, C] pooled planes). */
function maxOverDepth(t: Float32Array, y: Float32Array, info: Pool3DInfo): void {
  const plane = info.outHeight * info.outWidth * info.inChannels;
  for (let n = 0; n < info.batchSize; n++) {
    for (let od = 0; od < info.outDepth; od++) {
      const start = od * info.strideDepth - info.padInfo.front;
      const d0 = Math.max(0, start);
      const d1 = Math.min(info.inDepth, start + info.filterDepth);
      const o = (n * info.outDepth + od) * plane;
      if (d0 >= d1) {
        y.fill(Number.NEGATIVE_INFINITY, o, o + plane);
        continue;
      }
      const first = (n * info.inDepth + d0) * plane;
      y.set(t.subarray(first, first + plane), o);
      for (let d = d0 + 1; d < d1; d++) {
        const f = (n * info.inDepth + d) * plane;
        for (let i = 0; i < plane; i++) {
          const v = t[f + i]!;
          if (v > y[o + i]!) y[o + i] = v;
        }
      }
    }
  }
}

/**
 * dx → [N, D, H, W, C]: each window's dy added to its winner, in output order; the caller owns the
 * result. `y` is the forward's output (every window's maximum), so the winner is the first voxel that
 * equals it in reverse scan order: the last maximum in (d, h, w) order, the voxel tfjs-backend-cpu picks
 * with its running `>=` comparison.
 */
export function maxPool3dBackprop(
  backend: WasmBackend,
  dy: TensorInfo,
  x: TensorInfo,
  y: TensorInfo,
  info: Pool3DInfo,
): TensorInfo {
  const out = allocate(backend, [info.batchSize, info.inDepth, info.inHeight, info.inWidth, info.inChannels]);
  const src = heapF32(backend, x);
  const max = heapF32(backend, y);
  const g = heapF32(backend, dy);
  const dx = heapF32(backend, out);
  const C = info.inChannels;
  const taps = new Int32Array(info.filterDepth * info.filterHeight * info.filterWidth);
  dx.fill(0);
  forEachWindow(info, (o, n, win) => {
    let count = 0;
    for (let d = win.d0; d < win.d1; d++) {
      for (let h = win.h0; h < win.h1; h++) {
        const row = (((n * info.inDepth + d) * info.inHeight + h) * info.inWidth + win.w0) * C;
        for (let w = win.w0; w < win.w1; w++) taps[count++] = row + (w - win.w0) * C;
      }
    }
    for (let c = 0; c < C; c++) {
      const m = max[o + c]!;
      for (let t = count - 1; t >= 0; t--) {
        const f = taps[t]! + c;
        if (src[f] === m) {
          dx[f] = dx[f]! + g[o + c]!;
          break;
        }
      }
    }
  });
  return out;
}
