// Reorders a 3D filter [kd, kh, kw, Ci, Co] into the 2D filter that depthFoldedConv runs with XNNPACK.

import type { TensorInfo } from '@tensorflow/tfjs-core';
import { allocate, heapF32, type WasmBackend } from './wasmHeap.js';

/** How foldFilter lays the filter out; see foldFilter. */
export type FoldMode = 'forward' | 'flipped';

/**
 * 'forward': [kh, kw, kD*Ci, Co], element (kh, kw, kd*Ci + ci, co) = w[kd, kh, kw, ci, co], for conv3d.
 * 'flipped': [kh, kw, kD*Co, Ci], element (kh, kw, kd*Co + co, ci) =
 * w[kD-1-kd, kH-1-kh, kW-1-kw, ci, co], the spatially flipped, in/out-swapped filter whose forward
 * correlation with dy is the input gradient. The caller releases the result.
 */
export function foldFilter(backend: WasmBackend, filter: TensorInfo, mode: FoldMode): TensorInfo {
  const [kD, kH, kW, ci, co] = filter.shape as [number, number, number, number, number];
  const shapes: Record<FoldMode, number[]> = {
    forward: [kH, kW, kD * ci, co],
    flipped: [kH, kW, kD * co, ci],
  };
  const out = allocate(backend, shapes[mode]);
  const w = heapF32(backend, filter);
  const f = heapF32(backend, out);
  for (let d = 0; d < kD; d++) {
    for (let h = 0; h < kH; h++) {
      for (let x = 0; x < kW; x++) {
        const from = ((d * kH + h) * kW + x) * ci * co;
        if (mode === 'forward') {
          f.set(w.subarray(from, from + ci * co), ((h * kW + x) * kD + d) * ci * co);
        } else {
          const to = (((kH - 1 - h) * kW + (kW - 1 - x)) * kD + (kD - 1 - d)) * co * ci;
          transposeInto(w, from, ci, co, f, to);
        }
      }
    }
  }
  return out;
}

/** dst[to + j*rows + i] = src[from + i*cols + j] for a rows x cols block. */
function transposeInto(
  src: Float32Array,
  from: number,
  rows: number,
  cols: number,
  dst: Float32Array,
  to: number,
): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) dst[to + j * rows + i] = src[from + i * cols + j]!;
  }
}
