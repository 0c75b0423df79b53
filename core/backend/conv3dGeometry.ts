// Shapes, strides and padding of one 3D convolution, as our wasm Conv3D kernels see them, and the
// test for whether they handle it (else the stock wasm kernel does). Layouts: x [N, D, H, W, Ci]
// (NDHWC), filter [kd, kh, kw, Ci, Co], y [N, OD, OH, OW, Co].

import { backend_util } from '@tensorflow/tfjs-core';

type Shape5 = [number, number, number, number, number];
type Strides3 = number | [number, number, number];

/** Everything a depth-folded 3D convolution needs; pads may differ per side ('same' pads more at the end). */
export interface Conv3dGeometry {
  readonly batch: number;
  readonly inD: number;
  readonly inH: number;
  readonly inW: number;
  readonly inC: number;
  readonly outD: number;
  readonly outH: number;
  readonly outW: number;
  readonly outC: number;
  readonly kD: number;
  readonly kH: number;
  readonly kW: number;
  readonly sD: number;
  readonly sH: number;
  readonly sW: number;
  readonly padFront: number;
  readonly padBack: number;
  readonly padTop: number;
  readonly padBottom: number;
  readonly padLeft: number;
  readonly padRight: number;
}

/**
 * The geometry of conv3d(x, filter, strides, pad) as tfjs defines it (backend_util.computeConv3DInfo,
 * so 'same' splits padding exactly as the cpu backend does). Throws tfjs's errors for bad shapes.
 */
export function conv3dGeometry(
  xShape: number[],
  filterShape: number[],
  strides: Strides3,
  pad: 'same' | 'valid' | number,
): Conv3dGeometry {
  const info = backend_util.computeConv3DInfo(xShape as Shape5, filterShape as Shape5, strides, 1, pad);
  const p = info.padInfo;
  return {
    batch: info.batchSize,
    inD: info.inDepth,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outD: info.outDepth,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    kD: info.filterDepth,
    kH: info.filterHeight,
    kW: info.filterWidth,
    sD: info.strideDepth,
    sH: info.strideHeight,
    sW: info.strideWidth,
    padFront: p.front,
    padBack: p.back,
    padTop: p.top,
    padBottom: p.bottom,
    padLeft: p.left,
    padRight: p.right,
  };
}

/**
 * Why our kernels leave this convolution to the stock wasm kernel, or null when they take it. Not
 * taken: dilations other than 1, non-float32 data, and padding larger than k-1 on a side (only a
 * numeric pad gives it; the input gradient would need cropping).
 */
export function unsupportedReason(
  g: Conv3dGeometry,
  dilations: Strides3 | undefined,
  dtypes: string[],
): string | null {
  const d = dilations ?? 1;
  if (!(d === 1 || (Array.isArray(d) && d.every((v) => v === 1)))) return `dilations ${String(d)}`;
  if (dtypes.some((t) => t !== 'float32')) return `dtype ${dtypes.join('/')}`;
  const tooLarge =
    Math.max(g.padFront, g.padBack) > g.kD - 1 ||
    Math.max(g.padTop, g.padBottom) > g.kH - 1 ||
    Math.max(g.padLeft, g.padRight) > g.kW - 1;
  return tooLarge ? 'padding larger than the kernel' : null;
}

/** Multiply-adds x 2 of the convolution (the same count for its input and filter gradients). */
export function conv3dFlops(g: Conv3dGeometry): number {
  return 2 * g.batch * g.outD * g.outH * g.outW * g.outC * g.kD * g.kH * g.kW * g.inC;
}
