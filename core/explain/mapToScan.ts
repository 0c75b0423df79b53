// Puts a map computed in model-input space back onto the scan it explains, so a viewer overlays it voxel
// for voxel: the seed preprocessing (ScaleIntensity -> Resize of the file's voxel grid to N^3, no
// reorientation; core/transforms/seedPreprocess.ts) only rescales each voxel axis, so the inverse is a
// trilinear resize back to the scan's shape on the same field of view, and the scan's own affine.

import type { Affine } from '../common/spaces.js';
import { VoxlabError } from '../common/errors.js';
import { writeNifti, type NiftiImage } from '../io/writeNifti.js';
import { resize } from '../transforms/resize.js';
import { tensorToFortran } from '../transforms/tensor.js';

/** A map in model-input space: [depth, height, width] = the scan's i, j, k axes resized, C order. */
export interface InputSpaceMap {
  readonly shape: readonly [number, number, number];
  readonly data: Float32Array;
}

/** The scan's grid: its voxel shape [nx, ny, nz] and voxel -> world RAS affine (a Volume fits). */
export interface ScanGrid {
  readonly shape: readonly [number, number, number];
  readonly affine: Affine;
}

/**
 * Resamples `map` onto `scan`'s voxel grid: scan voxel i (per axis) reads the map at
 * (i + 0.5) * N / n - 0.5 (torch's align_corners=False, the inverse of the seed Resize's mapping, clamped
 * at the borders), trilinear. Returns a float32 image in NIfTI (Fortran) order with the scan's shape and
 * affine, ready for writeNifti. Throws BAD_ARGUMENT for a malformed map or grid.
 */
export function mapToScan(map: InputSpaceMap, scan: ScanGrid): NiftiImage {
  const n = map.shape[0] * map.shape[1] * map.shape[2];
  if (map.shape.length !== 3 || !(map.data instanceof Float32Array) || map.data.length !== n)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `mapToScan: the map must be [depth, height, width] with matching data, got [${map.shape.join(', ')}] and ${map.data?.length} values`,
    );
  if (scan.shape.length !== 3 || !scan.shape.every((s) => Number.isInteger(s) && s > 0))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `mapToScan: the scan shape must be 3 positive integers, got [${scan.shape.join(', ')}]`,
    );
  const resampled = resize({ shape: [1, ...map.shape], data: map.data }, scan.shape, {
    mode: 'trilinear',
    alignCorners: false,
  });
  const fortran = tensorToFortran(resampled);
  return { shape: fortran.shape, data: fortran.data, affine: scan.affine };
}

/**
 * mapToScan, then writes the result to `path` (.nii.gz or .nii) as a float32 map (NIfTI intent estimate).
 * Throws like mapToScan and writeNifti (BAD_ARGUMENT, IO_ERROR).
 */
export async function writeMapOnScan(
  path: string,
  map: InputSpaceMap,
  scan: ScanGrid,
  description = 'voxlab explanation map',
): Promise<NiftiImage> {
  const image = mapToScan(map, scan);
  await writeNifti(path, image, { intent: 'map', description });
  return image;
}
