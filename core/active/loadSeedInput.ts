// The default way active learning gets a classifier input for a study image: read the file and run the
// seed preprocessing (core/transforms/seedPreprocess.ts), as training and inference do.

import { VoxlabError } from '../common/errors.js';
import type { ImageRecord } from '../datastore/images.js';
import type { Classifier } from '../infer/classifier.js';
import { readNifti } from '../io/readNifti.js';
import { seedPreprocess } from '../transforms/seedPreprocess.js';

/**
 * The seed-preprocessed input of `image` for `classifier`: [1, N, N, N] C order. Needs a one-channel
 * cubic input shape (the seed pipeline's); throws BAD_ARGUMENT otherwise (pass your own loadInput), and
 * the errors of readNifti / seedPreprocess (NOT_FOUND, NIFTI_*, BAD_VALUES).
 */
export async function loadSeedInput(image: ImageRecord, classifier: Classifier): Promise<Float32Array> {
  const [c, d, h, w] = classifier.inputShape;
  if (c !== 1 || d !== h || h !== w)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `loadSeedInput: the seed preprocessing makes [1, N, N, N] inputs; the classifier wants [${classifier.inputShape.join(', ')}]`,
    );
  return seedPreprocess(await readNifti(image.path), d).data;
}
