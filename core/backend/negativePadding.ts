// Negative padding, which tfjs's 'same' gives a 1-wide kernel with stride 2 on an even size (front -1,
// back 0: the output samples odd positions). XNNPACK takes only padding >= 0, so we crop the input
// instead: a convolution of x with padding p < 0 on a side is one of x cropped by -p with padding 0.
// (The stock wasm Conv3DBackpropInputV2 returns zeros here; the cpu backend is right.)
// Layout: x / dx [N, D, H, W, C] (NDHWC).

import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { Conv3dGeometry } from './conv3dGeometry.js';
import { allocate, heapF32, type WasmBackend } from './wasmHeap.js';

/** Voxels cut from each side of the input. */
export interface Crop {
  readonly front: number;
  readonly back: number;
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
}

/** The crop that removes all negative padding, or null when there is none. */
export function negativePaddingCrop(g: Conv3dGeometry): Crop | null {
  const crop = {
    front: Math.max(0, -g.padFront),
    back: Math.max(0, -g.padBack),
    top: Math.max(0, -g.padTop),
    bottom: Math.max(0, -g.padBottom),
    left: Math.max(0, -g.padLeft),
    right: Math.max(0, -g.padRight),
  };
  return Object.values(crop).some((v) => v > 0) ? crop : null;
}

/** The same convolution on the cropped input: same output, padding clamped to >= 0. */
export function croppedGeometry(g: Conv3dGeometry, crop: Crop): Conv3dGeometry {
  return {
    ...g,
    inD: g.inD - crop.front - crop.back,
    inH: g.inH - crop.top - crop.bottom,
    inW: g.inW - crop.left - crop.right,
    padFront: Math.max(0, g.padFront),
    padBack: Math.max(0, g.padBack),
    padTop: Math.max(0, g.padTop),
    padBottom: Math.max(0, g.padBottom),
    padLeft: Math.max(0, g.padLeft),
    padRight: Math.max(0, g.padRight),
  };
}

/** x [N, D, H, W, C] → the cropped copy [N, D', H', W', C]; the caller releases it. */
export function cropInput(backend: WasmBackend, x: TensorInfo, g: Conv3dGeometry, crop: Crop): TensorInfo {
  const c = croppedGeometry(g, crop);
  const out = allocate(backend, [g.batch, c.inD, c.inH, c.inW, g.inC]);
  const src = heapF32(backend, x);
  const dst = heapF32(backend, out);
  forEachRow(g, c, crop, (full, cropped, len) => dst.set(src.subarray(full, full + len), cropped));
  return out;
}

/** dx' [N, D', H', W', C] of the cropped input → dx [N, D, H, W, C], zero where cropped. */
export function embedInputGrad(
  backend: WasmBackend,
  cropped: TensorInfo,
  g: Conv3dGeometry,
  crop: Crop,
): TensorInfo {
  const c = croppedGeometry(g, crop);
  const out = allocate(backend, [g.batch, g.inD, g.inH, g.inW, g.inC]);
  const src = heapF32(backend, cropped);
  const dst = heapF32(backend, out);
  dst.fill(0);
  forEachRow(g, c, crop, (full, part, len) => dst.set(src.subarray(part, part + len), full));
  return out;
}

/** Calls `row(fullOffset, croppedOffset, length)` for every kept row of W'*C floats. */
function forEachRow(
  g: Conv3dGeometry,
  c: Conv3dGeometry,
  crop: Crop,
  row: (full: number, cropped: number, len: number) => void,
): void {
  const len = c.inW * g.inC;
  for (let n = 0; n < g.batch; n++) {
    for (let d = 0; d < c.inD; d++) {
      for (let h = 0; h < c.inH; h++) {
        const full = (((n * g.inD + d + crop.front) * g.inH + h + crop.top) * g.inW + crop.left) * g.inC;
        const cropped = ((n * c.inD + d) * c.inH + h) * len;
        row(full, cropped, len);
      }
    }
  }
}
