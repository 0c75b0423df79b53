// MONAI's Orientation (monai.transforms.Orientation, 1.3.2): reorder and flip the spatial axes of a
// channel-first 3D tensor so they point along `axcodes` (e.g. 'RAS'), and update its affine.

import { assert } from '../common/errors.js';
import { axcodesToOrnt, invOrntAffine, ioOrientation, orntTransform } from '../common/orientation.js';
import { multiplyAffine, type Affine, type Axcodes } from '../common/spaces.js';
import { permuteFlip } from './permuteFlip.js';
import { checkTensor, type Tensor } from './tensor.js';

export interface OrientationOptions {
  /**
   * Target direction of spatial axes 1, 2, 3, with labels (L/R, P/A, I/S). MONAI has no default
   * (axcodes=None raises unless as_closest_canonical); here 'RAS', the NIfTI/nibabel world axes.
   */
  readonly axcodes?: Axcodes;
}

/**
 * Reorients [C, D, H, W] (C order; spatial axes = voxel axes i, j, k of `affine`, as volumeToTensor
 * gives) to `axcodes`, as MONAI does: src = nibabel io_orientation(affine), xform =
 * ornt_transform(src, axcodes2ornt(axcodes)); flip the spatial axes xform marks -1, then move spatial
 * axis n to position xform[n][0]. Returns the new tensor and its affine,
 * affine @ inv_ornt_aff(xform, spatial shape) (MONAI's MetaTensor affine after the transform).
 * Throws BAD_ARGUMENT for a tensor that is not rank 4, axcodes that are not 3 distinct world axes, or an
 * affine that is not 16 finite numbers or leaves a voxel axis without a direction.
 */
export function orientation(
  t: Tensor,
  affine: Affine,
  options: OrientationOptions = {},
): { tensor: Tensor; affine: Affine } {
  checkTensor('orientation', t, 4, 4);
  const axcodes = options.axcodes ?? 'RAS';
  assert(
    typeof axcodes === 'string' && axcodes.length === 3,
    () => `orientation: axcodes must be 3 letters such as 'RAS', got '${String(axcodes)}'`,
  );
  const target = axcodesToOrnt(axcodes);
  assert(
    new Set(target.map(([axis]) => axis)).size === 3 && target.every(([axis]) => Number.isInteger(axis)),
    () => `orientation: axcodes must name each world axis once (one of L/R, P/A, I/S each), got '${axcodes}'`,
  );
  const source = ioOrientation(affine);
  source.forEach(([axis], n) =>
    assert(
      Number.isInteger(axis),
      () =>
        `orientation: the affine gives voxel axis ${n} no direction (degenerate column): [${affine.join(', ')}]`,
    ),
  );
  const xform = orntTransform(source, target);
  const spatialShape = t.shape.slice(1);
  // Output spatial axis j holds input spatial axis n where xform[n][0] = j (numpy: argsort of xform[:, 0]).
  const from = [0, 1, 2].map((j) => xform.findIndex(([axis]) => axis === j));
  const perm = [0, ...from.map((n) => n + 1)];
  const flips = [false, ...from.map((n) => xform[n]![1] === -1)];
  return {
    tensor: permuteFlip(t, perm, flips),
    affine: multiplyAffine(affine, invOrntAffine(xform, spatialShape)),
  };
}
