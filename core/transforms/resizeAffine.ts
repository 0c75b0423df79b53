// The affine of a resized grid, so a resized image still sits where the original was in world space.

import { multiplyAffine, toAffine, type Affine } from '../common/spaces.js';

/**
 * Affine of a grid resized from `inShape` to `outShape` (spatial sizes, voxel order) over the same
 * field of view, matching torch's align_corners=False sampling: output voxel o covers input coordinate
 * (o + 0.5) * in/out - 0.5, so the new spacing is old * in/out and voxel 0's centre moves by
 * (in/out - 1) / 2 old voxels. MONAI's Resize updates an image's affine the same way
 * (monai.data.utils.scale_affine on the spatial sizes).
 */
export function resizedAffine(
  affine: Affine,
  inShape: readonly number[],
  outShape: readonly number[],
): Affine {
  const s = [0, 1, 2].map((d) => inShape[d]! / outShape[d]!);
  const scale = toAffine([
    [s[0]!, 0, 0, (s[0]! - 1) / 2],
    [0, s[1]!, 0, (s[1]! - 1) / 2],
    [0, 0, s[2]!, (s[2]! - 1) / 2],
    [0, 0, 0, 1],
  ]);
  return multiplyAffine(affine, scale);
}
