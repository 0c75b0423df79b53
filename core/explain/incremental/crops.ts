// Copying boxes in and out of NCDHW feature maps (one sample: [C, D, H, W], C-order, width fastest).
//
// A crop is written or read as rows of the box's width; `pitch` is the distance between row starts in
// the crop buffer. pitch = box width packs the crop as [nc, d, h, w]; a larger pitch places several
// crops side by side along width ([nc, d, h, n * w], crop i at column offset i * w), which lets one
// convolution call handle a whole batch of small crops (see engine.ts).

import type { Box3 } from './geometry.js';
import { boxShape } from './geometry.js';

/** [channels, depth, height, width] of one sample. */
export type Shape4 = readonly [number, number, number, number];

/**
 * Copies channels [c0, c0 + nc) of `src` (one sample, `shape`) over `box` into `dst` from `offset`, one
 * row of the box's width every `pitch` values. Parts of the box outside the map are written as 0.
 */
export function gatherBox(
  src: Float32Array,
  shape: Shape4,
  c0: number,
  nc: number,
  box: Box3,
  dst: Float32Array,
  offset: number,
  pitch?: number,
): void {
  const [, D, H, W] = shape;
  const bw = boxShape(box)[2];
  const step = pitch ?? bw;
  const x0 = Math.max(0, box[2].lo);
  const x1 = Math.min(W, box[2].hi);
  let o = offset;
  for (let c = 0; c < nc; c++) {
    const plane = (c0 + c) * D;
    for (let z = box[0].lo; z < box[0].hi; z++) {
      for (let y = box[1].lo; y < box[1].hi; y++) {
        if (z < 0 || z >= D || y < 0 || y >= H || x1 <= x0) {
          dst.fill(0, o, o + bw);
        } else {
          const row = ((plane + z) * H + y) * W;
          let k = o;
          for (let x = box[2].lo; x < x0; x++) dst[k++] = 0;
          for (let x = row + x0, end = row + x1; x < end; x++) dst[k++] = src[x]!;
          for (let x = x1; x < box[2].hi; x++) dst[k++] = 0;
        }
        o += step;
      }
    }
  }
}

/**
 * Writes a crop read from `src` (rows of the box's width from `srcOffset`, one every `pitch` values) into
 * channels [c0, c0 + nc) of `dst` (one sample, `shape`) over `box`, which must lie inside the map.
 */
export function scatterBox(
  src: Float32Array,
  srcOffset: number,
  dst: Float32Array,
  shape: Shape4,
  c0: number,
  nc: number,
  box: Box3,
  pitch?: number,
): void {
  const [, D, H, W] = shape;
  const bw = box[2].hi - box[2].lo;
  const step = pitch ?? bw;
  let o = srcOffset;
  for (let c = 0; c < nc; c++) {
    const plane = (c0 + c) * D;
    for (let z = box[0].lo; z < box[0].hi; z++) {
      for (let y = box[1].lo; y < box[1].hi; y++) {
        const row = ((plane + z) * H + y) * W + box[2].lo;
        for (let x = 0; x < bw; x++) dst[row + x] = src[o + x]!;
        o += step;
      }
    }
  }
}

/** Writes from `offset` a mask of `box` (rows every `pitch`): 1 where the voxel lies inside `size` ([D, H, W]), else 0. */
export function insideMask(
  box: Box3,
  size: readonly [number, number, number],
  dst: Float32Array,
  offset: number,
  pitch?: number,
): void {
  const bw = box[2].hi - box[2].lo;
  const step = pitch ?? bw;
  let o = offset;
  for (let z = box[0].lo; z < box[0].hi; z++) {
    for (let y = box[1].lo; y < box[1].hi; y++) {
      for (let x = box[2].lo, k = o; x < box[2].hi; x++, k++) {
        dst[k] = z >= 0 && z < size[0] && y >= 0 && y < size[1] && x >= 0 && x < size[2] ? 1 : 0;
      }
      o += step;
    }
  }
}

/** Copies channels [c0, c0 + nc) over `box` (inside the map) from `src` to `dst`, both one sample of `shape`. */
export function copyBox(
  src: Float32Array,
  dst: Float32Array,
  shape: Shape4,
  c0: number,
  nc: number,
  box: Box3,
): void {
  const [, D, H, W] = shape;
  for (let c = c0; c < c0 + nc; c++) {
    for (let z = box[0].lo; z < box[0].hi; z++) {
      for (let y = box[1].lo; y < box[1].hi; y++) {
        const row = ((c * D + z) * H + y) * W;
        for (let x = row + box[2].lo, end = row + box[2].hi; x < end; x++) dst[x] = src[x]!;
      }
    }
  }
}
