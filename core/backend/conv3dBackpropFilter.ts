// Conv3DBackpropFilterV2 on the wasm backend as XNNPACK work (issue #3, "Backends"). The filter
// gradient dw[kd,kh,kw,ci,co] = sum over n,od,oh,ow of xpad[n, od*sD+kd, oh*sH+kh, ow*sW+kw, ci] *
// dy[n,od,oh,ow,co] is itself a 1D correlation along the height with the roles swapped: input
// I [kd*kw*Ci, Hn, 1, N*OD*OW] (x: one image per (kd, kw, ci), channels (n, od, ow)), filter
// F [OH, 1, N*OD*OW, Co] (dy), dilation sH; conv2d(I, F) = [kd*kw*Ci, kh, 1, Co]. Putting (n, od, ow)
// in the channels gives XNNPACK long runs per tap. The contraction runs in chunks of (n, od) planes
// so that each call's filter (a slice of dy) stays in cache. Its conv2d has only kh output pixels per
// image, so XNNPACK's row tiles run part empty (~29 GFLOP/s on the 24^3 dense layers): stride-1 filters
// on volumes where the shared padding costs little take shiftedFilterGrad.ts instead (~60 GFLOP/s on
// the products), and this correlation is left to strided convolutions (the stem) and tiny volumes.
// 1x1x1 stride-1 filters are one matrix product (on ONNX Runtime where nativeKernels() has it:
// nativePointwise.ts).
// Layouts: x [N, D, H, W, Ci] (NDHWC), dy [N, OD, OH, OW, Co], dw [kd, kh, kw, Ci, Co].

import type { TensorInfo } from '@tensorflow/tfjs-core';
import { isPointwise } from './conv3dForward.js';
import type { Conv3dGeometry } from './conv3dGeometry.js';
import { gatherLimits, planesPerChunk } from './depthFold.js';
import { nativeKernels } from './nativeKernels.js';
import { nativePointwiseFilterGrad } from './nativePointwise.js';
import { shiftedFilterGrad, useShiftedFilterGrad } from './shiftedFilterGrad.js';
import {
  allocate,
  conv2d,
  heapF32,
  matMul,
  release,
  reshaped,
  transposedMatrix,
  type WasmBackend,
} from './wasmHeap.js';

const NO_PAD = { top: 0, bottom: 0, left: 0, right: 0 };

/**
 * Output voxels one chunk's XNNPACK reduction runs over at most (one (n, od) plane where a plane is larger):
 * XNNPACK adds a chunk's products in one float32 run, then the chunks are added here, a two-level sum
 * (core/backend/columnSum.ts says why). With the small net's stem at 64^3 (64 planes of 32^2 in one chunk)
 * its filter gradient was 1.6e-4 off a float64 reference (PyTorch's own float32: 2.0e-4); a plane per chunk,
 * 3.0e-5. No slower: the 96^3 DenseNet121 stem's filter gradient took 0.58-0.87 s either way.
 */
const SUM_RUN_VOXELS = 1024;

/** Extents of padded x the gradient reads: (O-1)*s + k per axis. */
interface Span {
  readonly d: number;
  readonly h: number;
  readonly w: number;
}

/** dw → [kd, kh, kw, Ci, Co]; the caller owns the result. Runs in chunks of (n, od) planes. */
export function conv3dBackpropFilter(
  backend: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  g: Conv3dGeometry,
): TensorInfo {
  if (isPointwise(g)) {
    const native = nativeKernels();
    return native
      ? nativePointwiseFilterGrad(backend, native, x, dy, g)
      : pointwiseFilterGrad(backend, x, dy, g);
  }
  if (useShiftedFilterGrad(g)) return shiftedFilterGrad(backend, x, dy, g);
  const span = {
    d: (g.outD - 1) * g.sD + g.kD,
    h: (g.outH - 1) * g.sH + g.kH,
    w: (g.outW - 1) * g.sW + g.kW,
  };
  const xT = channelMajorPadded(heapF32(backend, x), g, span);
  const total = g.batch * g.outD;
  const byGather = planesPerChunk(total, g.kD * g.kW * g.inC * span.h * g.outW);
  const chunk = Math.max(
    1,
    Math.min(
      byGather,
      Math.floor(gatherLimits.filterFloats / (g.outH * g.outW * g.outC)),
      Math.floor(SUM_RUN_VOXELS / (g.outH * g.outW)),
    ),
  );
  const dw = allocate(backend, [g.kD, g.kH, g.kW, g.inC, g.outC]);
  try {
    for (let p0 = 0; p0 < total; p0 += chunk) {
      accumulateChunk(backend, xT, span, dy, dw, g, p0, Math.min(total, p0 + chunk));
    }
  } catch (err) {
    release(backend, dw);
    throw err;
  }
  return dw;
}

/** dw (=, or += after the first chunk) the contribution of planes [p0, p1) (p = n*OD + od). */
function accumulateChunk(
  backend: WasmBackend,
  xT: Float32Array,
  span: Span,
  dy: TensorInfo,
  dw: TensorInfo,
  g: Conv3dGeometry,
  p0: number,
  p1: number,
): void {
  const channels = (p1 - p0) * g.outW;
  // Fresh tensors per chunk: XNNPACK caches packed filters by tensor id, so a refilled F would be stale.
  const input = allocate(backend, [g.kD * g.kW * g.inC, span.h, 1, channels]);
  const kernel = allocate(backend, [g.outH, 1, channels, g.outC]);
  try {
    gatherImages(xT, span, heapF32(backend, input), g, p0, p1);
    gatherKernel(heapF32(backend, dy), heapF32(backend, kernel), g, p0, p1);
    const part = conv2d(backend, input, kernel, [1, 1], NO_PAD, [g.sH, 1]);
    addResult(heapF32(backend, part), heapF32(backend, dw), g, p0 === 0);
    release(backend, part);
  } finally {
    release(backend, input, kernel);
  }
}

/**
 * x [N, D, H, W, Ci] → xT [Ci, N, span.d, span.h, span.w] with the padding as zeros:
 * xT[ci, n, d + padFront, h + padTop, w + padLeft] = x[n, d, h, w, ci]. The one scattered pass;
 * every later read of x is then a contiguous run.
 */
function channelMajorPadded(x: Float32Array, g: Conv3dGeometry, span: Span): Float32Array {
  const plane = span.h * span.w;
  const ciStride = g.batch * span.d * plane;
  const xT = new Float32Array(g.inC * ciStride);
  const dEnd = Math.min(g.inD, span.d - g.padFront);
  const hEnd = Math.min(g.inH, span.h - g.padTop);
  const wEnd = Math.min(g.inW, span.w - g.padLeft);
  for (let n = 0; n < g.batch; n++) {
    for (let d = 0; d < dEnd; d++) {
      for (let h = 0; h < hEnd; h++) {
        const src = ((n * g.inD + d) * g.inH + h) * g.inW * g.inC;
        const dst = (n * span.d + d + g.padFront) * plane + (h + g.padTop) * span.w + g.padLeft;
        for (let w = 0; w < wEnd; w++) {
          for (let ci = 0, f = src + w * g.inC, t = dst + w; ci < g.inC; ci++, t += ciStride)
            xT[t] = x[f + ci]!;
        }
      }
    }
  }
  return xT;
}

/**
 * I[(kd*kW + kw)*Ci + ci, h, 0, (p - p0)*OW + ow] = xT[ci, n, od*sD + kd, h, ow*sW + kw] for planes
 * p = n*OD + od in [p0, p1): written in order, each run of OW read from one xT row.
 */
function gatherImages(
  xT: Float32Array,
  span: Span,
  out: Float32Array,
  g: Conv3dGeometry,
  p0: number,
  p1: number,
): void {
  const plane = span.h * span.w;
  const ciStride = g.batch * span.d * plane;
  let t = 0;
  for (let kd = 0; kd < g.kD; kd++) {
    for (let kw = 0; kw < g.kW; kw++) {
      for (let ci = 0; ci < g.inC; ci++) {
        for (let h = 0; h < span.h; h++) {
          for (let p = p0; p < p1; p++) {
            const n = Math.floor(p / g.outD);
            const od = p - n * g.outD;
            let f = ci * ciStride + (n * span.d + od * g.sD + kd) * plane + h * span.w + kw;
            for (let ow = 0; ow < g.outW; ow++, f += g.sW) out[t++] = xT[f]!;
          }
        }
      }
    }
  }
}

/** F[oh, 0, (p - p0)*OW + ow, co] = dy[n, od, oh, ow, co] for planes p = n*OD + od in [p0, p1). */
function gatherKernel(dy: Float32Array, out: Float32Array, g: Conv3dGeometry, p0: number, p1: number): void {
  const run = g.outW * g.outC;
  const channels = (p1 - p0) * g.outW;
  for (let p = p0; p < p1; p++) {
    for (let oh = 0; oh < g.outH; oh++) {
      const src = (p * g.outH + oh) * run;
      out.set(dy.subarray(src, src + run), (oh * channels + (p - p0) * g.outW) * g.outC);
    }
  }
}

/** dw[kd, kh, kw, ci, co] (=, or += after the first chunk) R[(kd*kW + kw)*Ci + ci, kh, 0, co]. */
function addResult(r: Float32Array, dw: Float32Array, g: Conv3dGeometry, first: boolean): void {
  const co = g.outC;
  for (let kd = 0; kd < g.kD; kd++) {
    for (let kh = 0; kh < g.kH; kh++) {
      for (let kw = 0; kw < g.kW; kw++) {
        for (let ci = 0; ci < g.inC; ci++) {
          const src = (((kd * g.kW + kw) * g.inC + ci) * g.kH + kh) * co;
          const dst = (((kd * g.kH + kh) * g.kW + kw) * g.inC + ci) * co;
          if (first) dw.set(r.subarray(src, src + co), dst);
          else for (let k = 0; k < co; k++) dw[dst + k] = dw[dst + k]! + r[src + k]!;
        }
      }
    }
  }
}

/**
 * 1x1x1: dw = x^T dy over all voxels. XNNPACK only multiplies untransposed operands, so the narrower
 * of x and dy is transposed: dw = (x^T) dy, or dw = ((dy^T) x)^T when Co < Ci.
 */
function pointwiseFilterGrad(
  backend: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  g: Conv3dGeometry,
): TensorInfo {
  const voxels = g.batch * g.inD * g.inH * g.inW;
  const shape = [1, 1, 1, g.inC, g.outC];
  const x2 = reshaped(x, [voxels, g.inC]);
  const dy2 = reshaped(dy, [voxels, g.outC]);
  if (g.inC <= g.outC) {
    const xT = transposedMatrix(backend, x2, voxels, g.inC);
    try {
      return reshaped(matMul(backend, xT, dy2), shape);
    } finally {
      release(backend, xT);
    }
  }
  const dyT = transposedMatrix(backend, dy2, voxels, g.outC);
  let dwT: TensorInfo | null = null;
  try {
    dwT = matMul(backend, dyT, x2);
    return reshaped(transposedMatrix(backend, dwT, g.outC, g.inC), shape);
  } finally {
    release(backend, dyT, ...(dwT ? [dwT] : []));
  }
}
