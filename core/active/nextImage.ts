// Which image a person should label next: active-learning strategies over a study's images without a human
// label (MONAI Label's strategies: monailabel/tasks/activelearning/{random,first,epistemic,tta}.py, which rank
// unlabeled images by a stored score and serve the top one).

import { VoxlabError } from '../common/errors.js';
import { SeededRandom } from '../common/random.js';
import type { ImageRecord } from '../datastore/images.js';
import type { PredictionRecord } from '../datastore/predictions.js';
import type { Classifier } from '../infer/classifier.js';
import { predictionEntropy, softmax } from './entropy.js';
import { loadSeedInput } from './loadSeedInput.js';
import { ttaDisagreement, type Augmentation } from './ttaDisagreement.js';

/** 'random' (seeded), 'first' (study order), 'entropy' (most uncertain prediction), 'tta' (most view disagreement). */
export const STRATEGIES = ['random', 'first', 'entropy', 'tta'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** What nextImage reads of a study; a datastore Study fits. */
export interface ActiveStudy {
  listImages(): ImageRecord[];
  getPrediction(imageId: string, modelId?: string): PredictionRecord | null;
}

export interface NextImageOptions {
  /** Seed of 'random' (default 0: the same order every time; pass e.g. Date.now() for a fresh draw). */
  readonly seed?: number;
  /**
   * The classifier input of an image ([c, d, h, w] of classifier.inputShape, C order). Default
   * loadSeedInput: the file read and seed-preprocessed (ScaleIntensity -> Resize to the input size).
   */
  readonly loadInput?: (image: ImageRecord, classifier: Classifier) => Promise<Float32Array>;
  /** Views for 'tta' (default defaultAugmentations). */
  readonly augmentations?: readonly Augmentation[];
  /** 'entropy' without a classifier reads stored predictions; only this model's when given. */
  readonly modelId?: string;
  /** After each scored image. */
  readonly onProgress?: (p: {
    readonly done: number;
    readonly total: number;
    readonly imageId: string;
  }) => void;
  /** Checked before each image; aborting rejects with CANCELLED. */
  readonly signal?: AbortSignal;
}

/** One candidate with its score (higher = ask sooner; null when the strategy has no score for it). */
export interface RankedImage {
  readonly id: string;
  readonly score: number | null;
  /** Class probabilities behind the score (softmax, or the mean over TTA views), when there are any. */
  readonly probabilities?: readonly number[];
}

export interface NextImageResult {
  readonly strategy: Strategy;
  /** The image to label next; null when every image has a human label. */
  readonly id: string | null;
  readonly score: number | null;
  /** Every candidate, best first; ties keep study order. */
  readonly ranking: RankedImage[];
}

/**
 * Ranks the study's images that have no human label (status 'unlabeled' or 'predicted') by `strategy`
 * and names the first. 'entropy' scores predictionEntropy (nats) of the classifier's softmax, or, without a
 * classifier, of each image's latest stored prediction (images without one rank last with score null);
 * 'tta' scores ttaDisagreement and needs a classifier. Throws BAD_ARGUMENT for an unknown strategy, 'tta'
 * without a classifier or 'entropy' with neither classifier nor stored predictions; CANCELLED when aborted;
 * errors of loadInput and the classifier pass through.
 */
export async function nextImage(
  study: ActiveStudy,
  classifier: Classifier | undefined,
  strategy: Strategy,
  options: NextImageOptions = {},
): Promise<NextImageResult> {
  if (!(STRATEGIES as readonly string[]).includes(strategy))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `nextImage: strategy must be one of ${STRATEGIES.join(', ')}, got ${JSON.stringify(strategy)}`,
    );
  const candidates = study.listImages().filter((image) => image.status !== 'labeled');
  const ranking = await rank(study, candidates, classifier, strategy, options);
  const best = ranking[0];
  return { strategy, id: best?.id ?? null, score: best?.score ?? null, ranking };
}

async function rank(
  study: ActiveStudy,
  images: ImageRecord[],
  classifier: Classifier | undefined,
  strategy: Strategy,
  options: NextImageOptions,
): Promise<RankedImage[]> {
  switch (strategy) {
    case 'first':
      return images.map((image) => ({ id: image.id, score: null }));
    case 'random':
      return new SeededRandom(options.seed ?? 0).shuffle(
        images.map((image) => ({ id: image.id, score: null })),
      );
    case 'entropy':
      return byScore(
        classifier === undefined
          ? storedEntropy(study, images, options.modelId)
          : await scoreEach(images, classifier, options, entropyOf),
      );
    case 'tta': {
      if (classifier === undefined)
        throw new VoxlabError('BAD_ARGUMENT', "nextImage: strategy 'tta' needs a classifier");
      const tta = async (c: Classifier, input: Float32Array) => {
        const s = await ttaDisagreement(c, input, options.augmentations);
        return { score: s.score, probabilities: s.probabilities };
      };
      return byScore(await scoreEach(images, classifier, options, tta));
    }
  }
}

type Scorer = (
  classifier: Classifier,
  input: Float32Array,
) => Promise<{ score: number; probabilities: number[] }>;

const entropyOf: Scorer = async (classifier, input) => {
  const p = Array.from(softmax(await classifier.predict(input, 1)));
  return { score: predictionEntropy(p), probabilities: p };
};

async function scoreEach(
  images: ImageRecord[],
  classifier: Classifier,
  options: NextImageOptions,
  scorer: Scorer,
): Promise<RankedImage[]> {
  const load = options.loadInput ?? loadSeedInput;
  const out: RankedImage[] = [];
  for (const image of images) {
    if (options.signal?.aborted) throw new VoxlabError('CANCELLED', 'nextImage: cancelled');
    const scored = await scorer(classifier, await load(image, classifier));
    out.push({ id: image.id, ...scored });
    options.onProgress?.({ done: out.length, total: images.length, imageId: image.id });
  }
  return out;
}

function storedEntropy(
  study: ActiveStudy,
  images: ImageRecord[],
  modelId: string | undefined,
): RankedImage[] {
  const ranked = images.map((image): RankedImage => {
    const p = study.getPrediction(image.id, modelId)?.probabilities;
    return p === undefined
      ? { id: image.id, score: null }
      : { id: image.id, score: predictionEntropy(p), probabilities: [...p] };
  });
  if (ranked.length > 0 && ranked.every((r) => r.score === null))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      "nextImage: strategy 'entropy' needs a classifier or stored predictions (run inference first)",
    );
  return ranked;
}

/** Highest score first, null scores last, ties in study order (Array.prototype.sort is stable). */
function byScore(ranked: RankedImage[]): RankedImage[] {
  return [...ranked].sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity));
}
