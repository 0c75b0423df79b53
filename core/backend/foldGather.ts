// The JavaScript gathers behind depthFoldedConv: copying input planes into the depth-folded layout on
// the wasm heap. Plain loops over Float32Arrays; the copies are a few percent of the convolution time.

import type { FoldSpec } from './depthFold.js';

/**
 * G planes [p0, p1) (p = n*outD + o), each [srcH, srcW, kD*C]:
 * G[p - p0, h, w, kd*C + c] = S[n, o*step + kd - padFront, h, w, c], zero outside S.
 */
export function gatherDepthTaps(
  src: Float32Array,
  dst: Float32Array,
  s: FoldSpec,
  p0: number,
  p1: number,
): void {
  const pixels = s.srcH * s.srcW;
  const tapStride = s.kD * s.C;
  const srcPlane = pixels * s.C;
  for (let p = p0; p < p1; p++) {
    const n = Math.floor(p / s.outD);
    const o = p - n * s.outD;
    for (let kd = 0; kd < s.kD; kd++) {
      const z = o * s.step + kd - s.padFront;
      const base = (p - p0) * pixels * tapStride + kd * s.C;
      if (z < 0 || z >= s.srcD) {
        zeroRuns(dst, base, pixels, tapStride, s.C);
      } else {
        copyRuns(src, (n * s.srcD + z) * srcPlane, s.C, dst, base, tapStride, pixels, s.C);
      }
    }
  }
}

/** Zeroes `count` runs of `len` floats, `stride` apart. */
export function zeroRuns(dst: Float32Array, base: number, count: number, stride: number, len: number): void {
  if (stride === len) {
    dst.fill(0, base, base + count * len);
    return;
  }
  for (let i = 0, d = base; i < count; i++, d += stride) {
    for (let k = 0; k < len; k++) dst[d + k] = 0;
  }
}

/**
 * Runs at least this long are copied with one copyWithin when src and dst share a buffer (the wasm heap):
 * a memmove beats an element loop from about this length (the 128-channel gathers of DenseNet's dense
 * layers ran ~2x faster).
 */
const MEMMOVE_RUN = 16;

/** Copies `count` runs of `len` floats from src (runs `srcStride` apart) to dst (runs `dstStride` apart). */
export function copyRuns(
  src: Float32Array,
  from: number,
  srcStride: number,
  dst: Float32Array,
  to: number,
  dstStride: number,
  count: number,
  len: number,
): void {
  if (srcStride === len && dstStride === len) {
    dst.set(src.subarray(from, from + count * len), to);
    return;
  }
  if (len >= MEMMOVE_RUN && src.buffer === dst.buffer) {
    const heap = new Float32Array(dst.buffer, 0, dst.buffer.byteLength >>> 2);
    const f0 = (src.byteOffset >>> 2) + from;
    const d0 = (dst.byteOffset >>> 2) + to;
    for (let i = 0, f = f0, d = d0; i < count; i++, f += srcStride, d += dstStride)
      heap.copyWithin(d, f, f + len);
    return;
  }
  for (let i = 0, f = from, d = to; i < count; i++, f += srcStride, d += dstStride) {
    for (let k = 0; k < len; k++) dst[d + k] = src[f + k]!;
  }
}
