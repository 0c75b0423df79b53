// What a training run learns from: the study's images with a current human class label, their classes,
// and the up-front checks (enough labels, two classes at least, every scan readable) that make a bad
// study fail in seconds instead of after an hour of training.

import { getReading, trainingLabels } from '../datastore/reads.js';
import { VoxlabError, isVoxlabError } from '../common/errors.js';
import { probeNifti, type Study } from '../datastore/index.js';

/** One labeled image: where its file is and its class. */
export interface LabeledImage {
  readonly id: string;
  /** Absolute path of the NIfTI file. */
  readonly path: string;
  readonly label: string;
  /** Index of `label` in TrainingData.classes. */
  readonly classIndex: number;
}

/** The images to learn from, ordered by id, and the class names (sorted; index = network output). */
export interface TrainingData {
  readonly images: readonly LabeledImage[];
  readonly classes: readonly string[];
}

/**
 * The study's images whose current class label is set (labelmaps alone do not count), in id order; in a
 * reader study whose trainingLabels is 'majority' or 'reader:NAME', the label that source gives
 * (core/datastore/reads.ts trainingLabels).
 * `only` keeps those ids (every one must be labeled); `classes` fixes the class order (e.g. a trained
 * model's), else the sorted labels seen. Throws TRAIN_DATA_INVALID when there are no labels or only one class
 * (unless `allowOneClass`, for evaluation), or a label is not one of the given `classes`.
 */
export function labeledImages(
  study: Study,
  options: {
    readonly only?: readonly string[];
    readonly classes?: readonly string[];
    readonly allowOneClass?: boolean;
  } = {},
): TrainingData {
  // In a reader study the labels come from the reading settings' source (reference, majority, a reader).
  const source = getReading(study).trainingLabels;
  const all = study.listImages();
  const labels =
    source === 'reference'
      ? null
      : trainingLabels(study, new Map(all.filter((r) => r.label !== null).map((r) => [r.id, r.label!])), source);
  let records = (labels === null ? all : all.map((r) => ({ ...r, label: labels.get(r.id) ?? null }))).filter(
    (r) => r.label !== null,
  );
  if (options.only !== undefined) {
    const byId = new Map(records.map((r) => [r.id, r]));
    records = options.only.map((id) => {
      const r = byId.get(id);
      if (r === undefined)
        throw new VoxlabError(
          'TRAIN_DATA_INVALID',
          `Image "${id}" has no class label in the study (or does not exist)`,
          { imageId: id },
        );
      return r;
    });
  }
  if (records.length === 0) {
    throw new VoxlabError(
      'TRAIN_DATA_INVALID',
      `The study has no labeled images: give images a class label first (${study.listImages().length} image(s), none labeled)`,
    );
  }
  const seen = [...new Set(records.map((r) => r.label!))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const classes = options.classes ?? seen;
  const unknown = seen.filter((l) => !classes.includes(l));
  if (unknown.length > 0) {
    throw new VoxlabError(
      'TRAIN_DATA_INVALID',
      `Labels ${unknown.map((l) => JSON.stringify(l)).join(', ')} are not classes of the model (${classes.join(', ')})`,
      { unknown, classes },
    );
  }
  if (classes.length < 2 && options.allowOneClass !== true) {
    throw new VoxlabError(
      'TRAIN_DATA_INVALID',
      `All ${records.length} labeled images have the class ${JSON.stringify(classes[0])}: a classifier needs at least two classes`,
      { classes },
    );
  }
  const images = records.map((r) => ({
    id: r.id,
    path: r.path,
    label: r.label!,
    classIndex: classes.indexOf(r.label!),
  }));
  return { images, classes: [...classes] };
}

/** How many problems a message lists before "and N more". */
const LISTED = 5;

/**
 * Probes every image's file (header checks and size, no voxel decoding: about 5 ms per IXI scan) with up to
 * `concurrency` reads at a time. Throws TRAIN_DATA_INVALID listing every unreadable scan with its reason
 * (details.problems: [{ imageId, code, message }]), CANCELLED when `signal` aborts. Scans must be 3D or 4D
 * (the first volume of a 4D file is used).
 */
export async function checkScans(
  images: readonly LabeledImage[],
  options: { readonly signal?: AbortSignal; readonly concurrency?: number } = {},
): Promise<void> {
  const problems: { imageId: string; code: string; message: string }[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < images.length) {
      if (options.signal?.aborted)
        throw new VoxlabError('CANCELLED', 'Training was cancelled while checking scans');
      const image = images[next++]!;
      try {
        const probe = await probeNifti(image.path);
        const spatial = probe.shape.slice(0, 3);
        if (probe.shape.length < 3 || spatial.some((n) => n < 2)) {
          problems.push({
            imageId: image.id,
            code: 'NOT_A_VOLUME',
            message: `shape [${probe.shape.join(', ')}] is not a 3D volume`,
          });
        }
      } catch (e) {
        if (!isVoxlabError(e)) throw e;
        problems.push({ imageId: image.id, code: e.code, message: e.message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, lane));
  if (problems.length === 0) return;
  problems.sort((a, b) => (a.imageId < b.imageId ? -1 : 1));
  const listed = problems.slice(0, LISTED).map((p) => `${p.imageId}: ${p.message} [${p.code}]`);
  const more = problems.length > LISTED ? `; and ${problems.length - LISTED} more` : '';
  throw new VoxlabError(
    'TRAIN_DATA_INVALID',
    `${problems.length} of ${images.length} labeled scans cannot be read: ${listed.join('; ')}${more}`,
    { problems },
  );
}
