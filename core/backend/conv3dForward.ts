// Conv3D and its input gradient on the wasm backend, both as XNNPACK work (issue #3, "Backends"):
// 1x1x1 stride-1 convolutions are one matrix product; all others one depth-folded conv2d, except strided
// input gradients, which are a matrix product and a col2im scatter (col2im.ts). Where nativeKernels() has
// ONNX Runtime, the products and the other stride-1 convolutions run there (nativePointwise.ts,
// nativeConv3d.ts).
// Layouts: x [N, D, H, W, Ci] (NDHWC), filter [kd, kh, kw, Ci, Co], dy/y [N, OD, OH, OW, Co].

import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { Conv3dGeometry } from './conv3dGeometry.js';
import { col2imInputGrad } from './col2im.js';
import { depthFoldedConv, type FoldSpec } from './depthFold.js';
import { foldFilter } from './foldFilter.js';
import { canNativeConv3d, nativeConv3dBackpropInput, nativeConv3dForward } from './nativeConv3d.js';
import { nativeKernels } from './nativeKernels.js';
import { nativePointwiseForward } from './nativePointwise.js';
import { matMul, release, reshaped, transposedMatrix, type WasmBackend } from './wasmHeap.js';

/** True for a 1x1x1, stride-1, unpadded convolution: a plain [voxels, Ci] x [Ci, Co] product. */
export function isPointwise(g: Conv3dGeometry): boolean {
  const pads = g.padFront + g.padBack + g.padTop + g.padBottom + g.padLeft + g.padRight;
  return g.kD * g.kH * g.kW === 1 && g.sD * g.sH * g.sW === 1 && pads === 0;
}

/** y = conv3d(x, filter) → [N, OD, OH, OW, Co]; the caller owns the result. */
export function conv3dForward(
  backend: WasmBackend,
  x: TensorInfo,
  filter: TensorInfo,
  g: Conv3dGeometry,
): TensorInfo {
  const outShape = [g.batch, g.outD, g.outH, g.outW, g.outC];
  if (isPointwise(g)) {
    const native = nativeKernels();
    if (native) return nativePointwiseForward(backend, native, x, filter, g);
    const voxels = g.batch * g.inD * g.inH * g.inW;
    return reshaped(
      matMul(backend, reshaped(x, [voxels, g.inC]), reshaped(filter, [g.inC, g.outC])),
      outShape,
    );
  }
  const native = canNativeConv3d(g) ? nativeKernels() : null;
  if (native) return nativeConv3dForward(backend, native, x, filter, g);
  const spec: FoldSpec = {
    batch: g.batch,
    srcD: g.inD,
    srcH: g.inH,
    srcW: g.inW,
    C: g.inC,
    outD: g.outD,
    step: g.sD,
    padFront: g.padFront,
    kD: g.kD,
    sH: g.sH,
    sW: g.sW,
    pad2d: { top: g.padTop, bottom: g.padBottom, left: g.padLeft, right: g.padRight },
    outH: g.outH,
    outW: g.outW,
    outC: g.outC,
  };
  return foldedConv(backend, x, filter, 'forward', spec);
}

/**
 * dx = the gradient of conv3d w.r.t. x → [N, D, H, W, Ci]. Stride 1: the correlation of dy with the
 * flipped, in/out-swapped filter, padded by k-1-pad (a forward conv). Strided: col2im.
 */
export function conv3dBackpropInput(
  backend: WasmBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  g: Conv3dGeometry,
): TensorInfo {
  const inShape = [g.batch, g.inD, g.inH, g.inW, g.inC];
  if (isPointwise(g)) {
    const voxels = g.batch * g.outD * g.outH * g.outW;
    const filterT = transposedMatrix(backend, filter, g.inC, g.outC);
    try {
      return reshaped(matMul(backend, reshaped(dy, [voxels, g.outC]), filterT), inShape);
    } finally {
      release(backend, filterT);
    }
  }
  if (g.sD * g.sH * g.sW > 1) return col2imInputGrad(backend, dy, filter, g);
  const native = canNativeConv3d(g) ? nativeKernels() : null;
  if (native) return nativeConv3dBackpropInput(backend, native, dy, filter, g);
  const top = g.kH - 1 - g.padTop;
  const left = g.kW - 1 - g.padLeft;
  const spec: FoldSpec = {
    batch: g.batch,
    srcD: g.outD,
    srcH: g.outH,
    srcW: g.outW,
    C: g.outC,
    outD: g.inD,
    step: 1,
    padFront: g.kD - 1 - g.padFront,
    kD: g.kD,
    sH: 1,
    sW: 1,
    // Output size D from OD = D + pads - k + 1 gives these k-1-pad paddings (>= 0 for pad <= k-1).
    pad2d: { top, bottom: g.inH - g.outH - top + g.kH - 1, left, right: g.inW - g.outW - left + g.kW - 1 },
    outH: g.inH,
    outW: g.inW,
    outC: g.inC,
  };
  return foldedConv(backend, dy, filter, 'flipped', spec);
}

/** depthFoldedConv of `x` with `filter` folded as `mode` (the folded copy freed afterwards). */
function foldedConv(
  backend: WasmBackend,
  x: TensorInfo,
  filter: TensorInfo,
  mode: Parameters<typeof foldFilter>[2],
  spec: FoldSpec,
): TensorInfo {
  const folded = foldFilter(backend, filter, mode);
  try {
    return depthFoldedConv(backend, x, folded, spec);
  } finally {
    release(backend, folded);
  }
}
