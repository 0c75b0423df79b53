// Per-axis source indices and weights for separable resizing, computed exactly as PyTorch's
// torch.nn.functional.interpolate does on CPU (aten/src/ATen/native/UpSample.h), float32 rounding
// included, so a separable resize reproduces MONAI's Resize to float precision.

/** The 1-D resampling rules of torch.nn.functional.interpolate that a table can hold. */
export type AxisMode = 'nearest' | 'nearest-exact' | 'linear' | 'area';

/**
 * How one axis of `inSize` samples becomes `outSize` samples: output sample m is
 * sum over t < taps of weight[m * taps + t] * input[index[m * taps + t]]. Unused taps have weight 0.
 */
export interface AxisTable {
  readonly inSize: number;
  readonly outSize: number;
  readonly taps: number;
  readonly index: Int32Array;
  readonly weight: Float32Array;
}

const f32 = Math.fround;

/**
 * Builds the table for one axis. Sizes must be positive integers (callers check).
 * - 'linear' (torch linear/bilinear/trilinear): align_corners=False maps dst to
 *   src = max(0, (dst + 0.5) * in / out - 0.5); align_corners=True to src = dst * (in - 1) / (out - 1)
 *   (0 when out = 1). Index i0 = min(floor(src), in - 1), i1 = min(i0 + 1, in - 1), lambda = src - i0.
 * - 'nearest' (torch 'nearest', the legacy rule): src = min(floor(dst * in / out), in - 1).
 * - 'nearest-exact': src = min(floor((dst + 0.5) * in / out), in - 1).
 * - 'area' (adaptive average pooling): the mean of inputs floor(dst * in / out) .. ceil((dst + 1) * in / out) - 1.
 * The scale in / out is rounded to float32 first, as torch computes it (`opmath_t` is float for float input).
 */
export function axisTable(inSize: number, outSize: number, mode: AxisMode, alignCorners = false): AxisTable {
  switch (mode) {
    case 'linear':
      return linearTable(inSize, outSize, alignCorners);
    case 'nearest':
    case 'nearest-exact':
      return nearestTable(inSize, outSize, mode === 'nearest-exact');
    case 'area':
      return areaTable(inSize, outSize);
  }
}

function linearTable(inSize: number, outSize: number, alignCorners: boolean): AxisTable {
  const index = new Int32Array(outSize * 2);
  const weight = new Float32Array(outSize * 2);
  const scale = alignCorners ? (outSize > 1 ? f32((inSize - 1) / (outSize - 1)) : 0) : f32(inSize / outSize);
  for (let m = 0; m < outSize; m++) {
    // torch: float scale times a double (dst + 0.5), minus 0.5, stored as float; negatives clamp to 0.
    let src = alignCorners ? f32(scale * m) : f32(scale * (m + 0.5) - 0.5);
    if (src < 0) src = 0;
    const i0 = Math.min(Math.floor(src), inSize - 1);
    const lambda = Math.min(Math.max(f32(src - i0), 0), 1);
    index[2 * m] = i0;
    index[2 * m + 1] = i0 < inSize - 1 ? i0 + 1 : i0;
    weight[2 * m] = f32(1 - lambda);
    weight[2 * m + 1] = lambda;
  }
  return { inSize, outSize, taps: 2, index, weight };
}

function nearestTable(inSize: number, outSize: number, exact: boolean): AxisTable {
  const index = new Int32Array(outSize);
  const weight = new Float32Array(outSize).fill(1);
  const scale = f32(inSize / outSize);
  for (let m = 0; m < outSize; m++) {
    let src: number;
    if (!exact && outSize === inSize) src = m;
    else if (!exact && outSize === 2 * inSize) src = m >> 1;
    else src = Math.floor(exact ? f32(scale * (m + 0.5)) : f32(scale * m));
    index[m] = Math.min(src, inSize - 1);
  }
  return { inSize, outSize, taps: 1, index, weight };
}

function areaTable(inSize: number, outSize: number): AxisTable {
  const start = (m: number): number => Math.floor((m * inSize) / outSize);
  const end = (m: number): number => Math.ceil(((m + 1) * inSize) / outSize);
  let taps = 1;
  for (let m = 0; m < outSize; m++) taps = Math.max(taps, end(m) - start(m));
  const index = new Int32Array(outSize * taps);
  const weight = new Float32Array(outSize * taps);
  for (let m = 0; m < outSize; m++) {
    const s = start(m);
    const len = end(m) - s;
    for (let t = 0; t < taps; t++) {
      index[m * taps + t] = t < len ? s + t : s;
      weight[m * taps + t] = t < len ? 1 / len : 0;
    }
  }
  return { inSize, outSize, taps, index, weight };
}
