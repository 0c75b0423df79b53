// The importance view of an occlusion map: how much occluding each voxel's neighbourhood lowered the class
// output, baseline - map. MONAI's map is "lower = more important"; this flips it so high = important.

import { VoxlabError } from '../common/errors.js';
import type { OcclusionResult } from './occlusionSensitivity.js';

/**
 * baseline[classIndex] - map[classIndex] per voxel, [depth, height, width] C order, float32. Positive where
 * occlusion lowered the class output (evidence for the class), negative where it raised it, 0 outside the
 * b_box. `classIndex` defaults to the baseline's most probable class. Throws BAD_ARGUMENT for a bad index.
 */
export function occlusionImportance(result: OcclusionResult, classIndex?: number): Float32Array {
  const classes = result.shape[0];
  const k = classIndex ?? argmax(result.baseline);
  if (!(Number.isInteger(k) && k >= 0 && k < classes))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `occlusionImportance: classIndex must be an integer in [0, ${classes}), got ${classIndex}`,
    );
  const n = result.maps.length / classes;
  const base = result.baseline[k]!;
  return Float32Array.from(result.maps.subarray(k * n, (k + 1) * n), (v) => base - v);
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
