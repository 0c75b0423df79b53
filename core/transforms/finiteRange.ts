// The minimum and maximum of a run of float32 values, refusing NaN and infinities: the statistic
// behind min-max scaling, where one bad voxel would silently turn the whole image into NaN.

import { VoxlabError } from '../common/errors.js';

/**
 * { min, max } of data[start..end). Throws BAD_VALUES, naming `fn`, when a value is NaN or infinite
 * (MONAI would return an all-NaN image instead). The range must not be empty (callers check shapes).
 */
export function finiteRange(
  fn: string,
  data: Float32Array,
  start = 0,
  end = data.length,
): { min: number; max: number } {
  // Two independent lanes halve the loop-carried dependency chains (measured ~1.25x in V8).
  let min0 = Infinity;
  let max0 = -Infinity;
  let min1 = Infinity;
  let max1 = -Infinity;
  let sum = 0; // NaN or ±Infinity anywhere makes the sum non-finite; float32 values cannot overflow it.
  let i = start;
  for (; i + 1 < end; i += 2) {
    const a = data[i]!;
    const b = data[i + 1]!;
    if (a < min0) min0 = a;
    if (a > max0) max0 = a;
    if (b < min1) min1 = b;
    if (b > max1) max1 = b;
    sum += a + b;
  }
  if (i < end) {
    const a = data[i]!;
    if (a < min0) min0 = a;
    if (a > max0) max0 = a;
    sum += a;
  }
  if (!Number.isFinite(sum)) {
    throw new VoxlabError(
      'BAD_VALUES',
      `${fn}: the data holds NaN or infinite values; cannot compute its range`,
    );
  }
  return { min: Math.min(min0, min1), max: Math.max(max0, max1) };
}
