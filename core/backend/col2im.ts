// The input gradient of a strided 3D convolution (DenseNet's stem, stride 2) as XNNPACK work plus a
// JavaScript scatter: dcols = dy [voxels, Co] x w^T [Co, kd*kh*kw*Ci], then every row's columns are
// added into the input voxels that row's output read (col2im). Correlating the zero-dilated dy instead
// would multiply s^3 - 1 zeros for every product (8x the work at stride 2), and with few input
// channels (the stem has 1) the GEMM would be one column wide.
// Layouts: dy [N, OD, OH, OW, Co], filter [kd, kh, kw, Ci, Co], dx [N, D, H, W, Ci] (NDHWC).

import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { Conv3dGeometry } from './conv3dGeometry.js';
import { planesPerChunk } from './depthFold.js';
import {
  allocate,
  heapF32,
  matMul,
  prefixView,
  release,
  reshaped,
  transposedMatrix,
  type WasmBackend,
} from './wasmHeap.js';

/** dx → [N, D, H, W, Ci] by col2im, in chunks of dy planes; the caller owns the result. */
export function col2imInputGrad(
  backend: WasmBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  g: Conv3dGeometry,
): TensorInfo {
  const cols = g.kD * g.kH * g.kW * g.inC;
  const planeRows = g.outH * g.outW;
  const total = g.batch * g.outD;
  const chunk = planesPerChunk(total, planeRows * cols);
  const filterT = transposedMatrix(backend, reshaped(filter, [cols, g.outC]), cols, g.outC);
  const rows = chunk < total ? allocate(backend, [chunk * planeRows, g.outC]) : null;
  const dx = allocate(backend, [g.batch, g.inD, g.inH, g.inW, g.inC]);
  try {
    heapF32(backend, dx).fill(0);
    for (let p0 = 0; p0 < total; p0 += chunk) {
      const p1 = Math.min(total, p0 + chunk);
      const span = (p1 - p0) * planeRows * g.outC;
      let a = reshaped(dy, [total * planeRows, g.outC]);
      if (rows != null) {
        heapF32(backend, rows).set(
          heapF32(backend, dy).subarray(p0 * planeRows * g.outC, p0 * planeRows * g.outC + span),
        );
        a = prefixView(rows, [(p1 - p0) * planeRows, g.outC]);
      }
      const dcols = matMul(backend, a, filterT);
      scatterAdd(heapF32(backend, dcols), heapF32(backend, dx), g, p0, p1);
      release(backend, dcols);
    }
    return dx;
  } finally {
    release(backend, filterT, ...(rows ? [rows] : []));
  }
}

/**
 * For dy planes [p0, p1) (p = n*OD + od): dx[n, od*sD+kd-pF, oh*sH+kh-pT, ow*sW+kw-pL, :] +=
 * dcols[row(p, oh, ow), ((kd*kh_n + kh)*kw_n + kw)*Ci : +Ci] for every tap that lands inside x.
 */
function scatterAdd(dcols: Float32Array, dx: Float32Array, g: Conv3dGeometry, p0: number, p1: number): void {
  const ci = g.inC;
  const rowLen = g.kD * g.kH * g.kW * ci;
  for (let p = p0; p < p1; p++) {
    const n = Math.floor(p / g.outD);
    const od = p - n * g.outD;
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++) {
        const row = (((p - p0) * g.outH + oh) * g.outW + ow) * rowLen;
        for (let kd = 0; kd < g.kD; kd++) {
          const id = od * g.sD + kd - g.padFront;
          if (id < 0 || id >= g.inD) continue;
          for (let kh = 0; kh < g.kH; kh++) {
            const ih = oh * g.sH + kh - g.padTop;
            if (ih < 0 || ih >= g.inH) continue;
            const tapRow = row + (kd * g.kH + kh) * g.kW * ci;
            const voxelRow = ((n * g.inD + id) * g.inH + ih) * g.inW;
            for (let kw = 0; kw < g.kW; kw++) {
              const iw = ow * g.sW + kw - g.padLeft;
              if (iw < 0 || iw >= g.inW) continue;
              const from = tapRow + kw * ci;
              const to = (voxelRow + iw) * ci;
              for (let c = 0; c < ci; c++) dx[to + c] = dx[to + c]! + dcols[from + c]!;
            }
          }
        }
      }
    }
  }
}
