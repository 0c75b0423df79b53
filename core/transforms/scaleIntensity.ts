// MONAI's ScaleIntensity (monai.transforms.ScaleIntensity, 1.3.2): min-max scaling of intensities to
// [minv, maxv] with monai.transforms.utils.rescale_array, over the whole array or per channel.

import { assert } from '../common/errors.js';
import { finiteRange } from './finiteRange.js';
import { checkTensor, type Tensor } from './tensor.js';

export interface ScaleIntensityOptions {
  /** Lower end of the output range. MONAI default 0. null: see `factor`. */
  readonly minv?: number | null;
  /** Upper end of the output range. MONAI default 1. null: see `factor`. */
  readonly maxv?: number | null;
  /** Used only when minv and maxv are both null: v * (1 + factor). MONAI default null (no change). */
  readonly factor?: number | null;
  /** Scale each channel (first axis) on its own. MONAI default false: one min/max over everything. */
  readonly channelWise?: boolean;
}

/**
 * Scales a tensor of any layout (channel-first [C, ...] when channelWise) like MONAI's ScaleIntensity:
 * v' = (v - min) / (max - min) * (maxv - minv) + minv, or just (v - min) / (max - min) when only one
 * of minv/maxv is null. A constant array (min = max) becomes v * minv (all zeros for the default minv 0),
 * or stays unchanged when minv is null: rescale_array's own rule, kept for equal results.
 * Throws BAD_ARGUMENT for a malformed tensor or non-finite options, BAD_VALUES when the data holds NaN
 * or infinities (MONAI would return NaNs).
 */
export function scaleIntensity(t: Tensor, options: ScaleIntensityOptions = {}): Tensor {
  checkTensor('scaleIntensity', t, 1);
  const minv = options.minv === undefined ? 0 : options.minv;
  const maxv = options.maxv === undefined ? 1 : options.maxv;
  const factor = options.factor ?? null;
  for (const [name, v] of [
    ['minv', minv],
    ['maxv', maxv],
    ['factor', factor],
  ] as const) {
    assert(
      v === null || Number.isFinite(v),
      () => `scaleIntensity: ${name} must be a finite number or null, got ${v}`,
    );
  }
  const out = new Float32Array(t.data.length);
  if (minv === null && maxv === null) {
    const mul = factor === null ? 1 : 1 + factor;
    for (let i = 0; i < out.length; i++) out[i] = t.data[i]! * mul;
    return { shape: [...t.shape], data: out };
  }
  const parts = options.channelWise ? t.shape[0]! : 1;
  const len = t.data.length / parts;
  for (let p = 0; p < parts; p++) rescaleRun(t.data, out, p * len, (p + 1) * len, minv, maxv);
  return { shape: [...t.shape], data: out };
}

/** MONAI's rescale_array on src[start..end) into out[start..end). */
function rescaleRun(
  src: Float32Array,
  out: Float32Array,
  start: number,
  end: number,
  minv: number | null,
  maxv: number | null,
): void {
  const { min, max } = finiteRange('scaleIntensity', src, start, end);
  if (min === max) {
    const mul = minv === null ? 1 : minv;
    for (let i = start; i < end; i++) out[i] = src[i]! * mul;
    return;
  }
  const range = max - min;
  if (minv === null || maxv === null) {
    for (let i = start; i < end; i++) out[i] = (src[i]! - min) / range;
    return;
  }
  const span = maxv - minv;
  for (let i = start; i < end; i++) out[i] = ((src[i]! - min) / range) * span + minv;
}
