// Half an occlusion window in scan millimetres, the pointing game's tolerance for the map's resolution
// (issue #16: "hit = the peak within the lesion radius + half a window").

import { VoxlabError } from '../../common/errors.js';
import type { Affine } from '../../common/spaces.js';

/**
 * Half the edge of a `maskSize`-voxel window of the model input, in mm of the scan it was resized from.
 * preprocess 'seed' resizes the whole scan onto the model's grid, so one model-input voxel along scan axis a
 * spans `scanShape[a] * spacing[a] / inputShape[a]` mm, with spacing[a] the length of the affine's column a
 * (mm per scan voxel; rotations do not change it). The window is that many voxels on every axis; its largest
 * half-edge is returned (the conservative choice for an anisotropic resize):
 *   halfWindowMm = maskSize / 2 * max_a(scanShape[a] * spacing[a] / inputShape[a]).
 * `scanShape` is [nx, ny, nz] (NIfTI order), `affine` the scan's 4x4 row-major voxel -> world RAS mm,
 * `inputShape` the model's spatial input per scan axis (voxlab's inputs are cubes, N^3, so any order).
 * Throws BAD_ARGUMENT for a mask size or shape that is not a positive integer.
 */
export function halfWindowMm(
  maskSize: number,
  scanShape: readonly [number, number, number],
  affine: Affine,
  inputShape: readonly [number, number, number],
): number {
  const positive = (v: number) => Number.isInteger(v) && v >= 1;
  if (!positive(maskSize))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `halfWindowMm: maskSize must be a whole number >= 1, got ${maskSize}`,
    );
  if (![...scanShape, ...inputShape].every(positive))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `halfWindowMm: shapes must be 3 whole numbers >= 1, got scan ${JSON.stringify(scanShape)}, input ${JSON.stringify(inputShape)}`,
    );
  let widest = 0;
  for (let a = 0; a < 3; a++) {
    const spacing = Math.hypot(affine[a]!, affine[4 + a]!, affine[8 + a]!);
    widest = Math.max(widest, (scanShape[a]! * spacing) / inputShape[a]!);
  }
  return (maskSize / 2) * widest;
}
