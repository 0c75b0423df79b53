// A scan as a classifier's input sample: 'seed' = the IXI tutorial's ScaleIntensity -> Resize (as training
// preprocesses), 'none' = the file's voxels as they are, which must already have the input's size.

import { VoxlabError } from '../common/errors.js';
import type { Volume } from '../io/types.js';
import { seedPreprocess } from '../transforms/seedPreprocess.js';
import { volumeToTensor } from '../transforms/tensor.js';

export const PREPROCESS_MODES = ['seed', 'none'] as const;
export type PreprocessMode = (typeof PREPROCESS_MODES)[number];

/**
 * One sample [C, D, H, W] in C order, float32, D/H/W = the file's i/j/k axes (no reorientation, as MONAI
 * loads with nibabel). `inputShape` is the classifier's. Throws BAD_ARGUMENT when seed preprocessing
 * cannot produce the shape (one channel, a cube), SHAPE_MISMATCH when a 'none' scan has another size,
 * BAD_VALUES for NaN or infinite voxels.
 */
export function modelInput(
  volume: Volume,
  inputShape: readonly number[],
  mode: PreprocessMode,
  name = 'the scan',
): Float32Array {
  const [c, d, h, w] = inputShape as [number, number, number, number];
  if (c !== 1)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `The model takes ${c} channels per volume; voxlab feeds one (a single scan)`,
    );
  if (mode === 'seed') {
    if (d !== h || h !== w)
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `Seed preprocessing resizes to a cube, but the model takes [${d}, ${h}, ${w}]; use --preprocess none with scans of that size`,
      );
    return seedPreprocess(volume, d).data;
  }
  const [nx, ny, nz] = volume.shape;
  if (nx !== d || ny !== h || nz !== w) {
    throw new VoxlabError(
      'SHAPE_MISMATCH',
      `${name} has ${nx}x${ny}x${nz} voxels; without preprocessing the model needs exactly ${d}x${h}x${w} (use --preprocess seed to resize)`,
      { shape: [nx, ny, nz], inputShape: [d, h, w] },
    );
  }
  for (const v of volume.data)
    if (!Number.isFinite(v)) throw new VoxlabError('BAD_VALUES', `${name} holds NaN or infinite voxels`);
  return volumeToTensor(volume).data;
}
