// AvgPool3D and AvgPool3DGrad for the 'wasm' backend when the windows tile the volume without overlap or
// padding (filter = strides, 'valid': DenseNet's 2^3 transition pooling), as plain loops over the heap.
// tfjs-backend-wasm 4.22's C++ kernels took ~30 ms (forward) and ~50 ms (gradient) on [2, 24^3, 128].
// Both compute what tfjs-backend-cpu computes, in its order (window sums in float64 in (d, h, w) order,
// one rounding to float32), so the results are the same bit for bit. Other pools go to the stock kernels.
// Layouts: x / dx [N, D, H, W, C] (NDHWC), y / dy [N, OD, OH, OW, C].

import type { TensorInfo } from '@tensorflow/tfjs-core';
import { pool3dInfo, type Pool3dAttrs } from './maxPool3d.js';
import { allocate, heapF32, type WasmBackend } from './wasmHeap.js';

type Pool3DInfo = NonNullable<ReturnType<typeof pool3dInfo>>;

/** The geometry when the windows tile x exactly once (filter = strides, no padding), else null. */
export function tilingPoolInfo(xShape: number[], attrs: Pool3dAttrs, dtype: string): Pool3DInfo | null {
  const info = pool3dInfo(xShape, attrs, dtype);
  if (info == null) return null;
  const p = info.padInfo;
  const tiles =
    info.filterDepth === info.strideDepth &&
    info.filterHeight === info.strideHeight &&
    info.filterWidth === info.strideWidth &&
    p.front + p.back + p.top + p.bottom + p.left + p.right === 0;
  return tiles ? info : null;
}

/** y = the mean of each window → [N, OD, OH, OW, C]; the caller owns the result. */
export function avgPool3dTiled(backend: WasmBackend, x: TensorInfo, info: Pool3DInfo): TensorInfo {
  const out = allocate(backend, info.outShape);
  const src = heapF32(backend, x);
  const y = heapF32(backend, out);
  const C = info.inChannels;
  const count = info.filterDepth * info.filterHeight * info.filterWidth;
  const sum = new Float64Array(C);
  let o = 0;
  for (let n = 0; n < info.batchSize; n++) {
    for (let od = 0; od < info.outDepth; od++) {
      for (let oh = 0; oh < info.outHeight; oh++) {
        for (let ow = 0; ow < info.outWidth; ow++, o += C) {
          sum.fill(0);
          for (let d = od * info.strideDepth; d < od * info.strideDepth + info.filterDepth; d++) {
            for (let h = oh * info.strideHeight; h < oh * info.strideHeight + info.filterHeight; h++) {
              const w0 = ow * info.strideWidth;
              let f = (((n * info.inDepth + d) * info.inHeight + h) * info.inWidth + w0) * C;
              for (let w = 0; w < info.filterWidth; w++) {
                for (let c = 0; c < C; c++, f++) sum[c] = sum[c]! + src[f]!;
              }
            }
          }
          for (let c = 0; c < C; c++) y[o + c] = sum[c]! / count;
        }
      }
    }
  }
  return out;
}

/** dx → [N, D, H, W, C]: each voxel gets its window's dy / (window size); voxels in no window get 0. */
export function avgPool3dTiledBackprop(backend: WasmBackend, dy: TensorInfo, info: Pool3DInfo): TensorInfo {
  const out = allocate(backend, [info.batchSize, info.inDepth, info.inHeight, info.inWidth, info.inChannels]);
  const g = heapF32(backend, dy);
  const dx = heapF32(backend, out);
  const C = info.inChannels;
  const scale = 1 / (info.filterDepth * info.filterHeight * info.filterWidth);
  const coveredW = info.outWidth * info.strideWidth;
  dx.fill(0);
  for (let n = 0; n < info.batchSize; n++) {
    for (let d = 0; d < info.outDepth * info.strideDepth; d++) {
      const od = Math.floor(d / info.strideDepth);
      for (let h = 0; h < info.outHeight * info.strideHeight; h++) {
        const oh = Math.floor(h / info.strideHeight);
        const row = ((n * info.outDepth + od) * info.outHeight + oh) * info.outWidth * C;
        let t = ((n * info.inDepth + d) * info.inHeight + h) * info.inWidth * C;
        for (let w = 0; w < coveredW; w++) {
          const f = row + Math.floor(w / info.strideWidth) * C;
          for (let c = 0; c < C; c++, t++) dx[t] = g[f + c]! * scale;
        }
      }
    }
  }
  return out;
}
