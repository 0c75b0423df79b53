// Writes a 3D image as a NIfTI-1 file (.nii.gz or .nii, by the path's extension), atomically: readers
// see the old file or the complete new one, never a torn write.

import { VoxlabError } from '../common/errors.js';
import { writeFileAtomic } from './atomicWrite.js';
import { encodeNifti, type EncodeNiftiOptions, type NiftiImage } from './encodeNifti.js';

export { encodeNifti, type EncodeNiftiOptions, type NiftiImage } from './encodeNifti.js';

/**
 * Writes `image` (Fortran order, i fastest; affine voxel → world RAS mm) to `path`, which must end in
 * .nii.gz (gzipped) or .nii. Labels are written as uint8/int16 with intent 'label', maps as float32.
 * Throws BAD_ARGUMENT for a bad path or image, IO_ERROR when the write fails.
 */
export async function writeNifti(
  path: string,
  image: NiftiImage,
  options: Omit<EncodeNiftiOptions, 'compress'> = {},
): Promise<void> {
  const lower = path.toLowerCase();
  if (!lower.endsWith('.nii.gz') && !lower.endsWith('.nii')) {
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `writeNifti: the file name must end in .nii.gz or .nii, got ${path}`,
    );
  }
  await writeFileAtomic(path, encodeNifti(image, { ...options, compress: lower.endsWith('.gz') }));
}
