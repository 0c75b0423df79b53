// A 3D convolution as ONE batched XNNPACK conv2d: the kd depth taps are folded into the channels.
// For every output plane (n, od) we gather the kd input planes it reads, side by side per pixel, into
// G [N*OD, H, W, kd*C]; with the filter reordered to [kh, kw, kd*C, Co], conv2d(G) is the 3D result.
// One GEMM with K = kd*kh*kw*C instead of kd small ones, and no accumulation pass. Also computes
// stride-1 input gradients (source = dy, flipped filter). (Folding the kw taps too, for the 1-channel
// stem, was measured slower: XNNPACK ran the 7-channel taps at 65 GFLOP/s, the larger gather cost more.)

import type { TensorInfo } from '@tensorflow/tfjs-core';
import { gatherDepthTaps } from './foldGather.js';
import {
  allocate,
  conv2d,
  heapF32,
  prefixView,
  release,
  reshaped,
  type Pad2d,
  type WasmBackend,
} from './wasmHeap.js';

/**
 * Source S [batch, srcD, srcH, srcW, C] (NDHWC). Output plane o reads source planes
 * o*step + kd - padFront for kd in [0, kD); height and width are handled by conv2d with strides
 * (sH, sW) and explicit `pad2d`, giving [batch, outD, outH, outW, outC].
 */
export interface FoldSpec {
  readonly batch: number;
  readonly srcD: number;
  readonly srcH: number;
  readonly srcW: number;
  readonly C: number;
  readonly outD: number;
  readonly step: number;
  readonly padFront: number;
  readonly kD: number;
  readonly sH: number;
  readonly sW: number;
  readonly pad2d: Pad2d;
  readonly outH: number;
  readonly outW: number;
  readonly outC: number;
}

/**
 * Chunk sizes, mutable so that tests can force the chunked paths. `budgetFloats`: most floats one
 * gathered buffer may hold (128 MiB of the 4 GB wasm heap); larger problems run in chunks of planes.
 * `filterFloats`: most floats of dy one filter-gradient conv2d takes as its filter (1 MiB): XNNPACK
 * re-reads the packed filter for every block of output rows, so it must stay in cache (the stem's
 * whole dy at once ran at half the speed of one plane at a time).
 */
export const gatherLimits = { budgetFloats: 32 * 1024 * 1024, filterFloats: 256 * 1024 };

/** How many of `total` planes of `planeFloats` each fit the gather budget (at least one). */
export function planesPerChunk(total: number, planeFloats: number): number {
  return Math.max(1, Math.min(total, Math.floor(gatherLimits.budgetFloats / planeFloats)));
}

/**
 * Runs the folded convolution of `src` (see FoldSpec) with `foldedFilter` [kh, kw, kD*C, outC] and
 * returns [batch, outD, outH, outW, outC]; the caller owns the result.
 */
export function depthFoldedConv(
  backend: WasmBackend,
  src: TensorInfo,
  foldedFilter: TensorInfo,
  s: FoldSpec,
): TensorInfo {
  const outShape = [s.batch, s.outD, s.outH, s.outW, s.outC];
  const strides: [number, number] = [s.sH, s.sW];
  if (s.kD === 1 && s.step === 1 && s.padFront === 0 && s.outD === s.srcD) {
    // G is the source itself: each output plane reads its own input plane.
    const planes = reshaped(src, [s.batch * s.srcD, s.srcH, s.srcW, s.C]);
    return reshaped(conv2d(backend, planes, foldedFilter, strides, s.pad2d), outShape);
  }
  const plane = [s.srcH, s.srcW, s.kD * s.C];
  const total = s.batch * s.outD;
  const chunk = planesPerChunk(total, s.srcH * s.srcW * s.kD * s.C);
  const gathered = allocate(backend, [chunk, ...plane]);
  try {
    if (chunk === total) {
      gatherDepthTaps(heapF32(backend, src), heapF32(backend, gathered), s, 0, total);
      return reshaped(conv2d(backend, gathered, foldedFilter, strides, s.pad2d), outShape);
    }
    const out = allocate(backend, outShape);
    const outPlane = s.outH * s.outW * s.outC;
    for (let p0 = 0; p0 < total; p0 += chunk) {
      const p1 = Math.min(total, p0 + chunk);
      gatherDepthTaps(heapF32(backend, src), heapF32(backend, gathered), s, p0, p1);
      const part = conv2d(backend, prefixView(gathered, [p1 - p0, ...plane]), foldedFilter, strides, s.pad2d);
      heapF32(backend, out).set(heapF32(backend, part), p0 * outPlane);
      release(backend, part);
    }
    return out;
  } finally {
    release(backend, gathered);
  }
}
