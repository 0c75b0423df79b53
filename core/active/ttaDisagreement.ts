// Test-time-augmentation disagreement: run the classifier on flipped and rotated copies of an image and
// measure how much its class probabilities move. MONAI Label's TTA scoring (monailabel/tasks/scoring/tta.py)
// scores segmentations by the volume variation coefficient std/mean over all augmented outputs; for a
// classifier's softmax outputs the mean over classes is always 1/classes, so that ratio mostly measures
// how unequal the classes are, not how the views disagree. Here: the variance across views of each class
// probability, averaged over classes (the same spread MONAI Label's std measures, per class).

import { VoxlabError } from '../common/errors.js';
import type { Classifier } from '../infer/classifier.js';
import { flip } from '../transforms/flip.js';
import { rotate90 } from '../transforms/rotate90.js';
import type { Tensor } from '../transforms/tensor.js';
import { softmax } from './entropy.js';

/** One test-time view of a channel-first input [C, D, H, W]; must keep the shape. */
export interface Augmentation {
  readonly name: string;
  apply(t: Tensor): Tensor;
}

/**
 * The default views: the input, a flip along each spatial axis, and rot90 by 1, 2, 3 quarter turns in the
 * plane of spatial axes (0, 1), the plane the seed training's RandRotate90 uses (MONAI's default
 * spatial_axes). Rotations by 1 and 3 turns swap D and H, so they are left out when D != H.
 */
export function defaultAugmentations(inputShape: readonly number[]): Augmentation[] {
  const views: Augmentation[] = [
    { name: 'identity', apply: (t) => t },
    ...[0, 1, 2].map((axis) => ({
      name: `flip${axis}`,
      apply: (t: Tensor) => flip(t, { spatialAxis: axis }),
    })),
  ];
  const square = inputShape[1] === inputShape[2];
  for (const k of [1, 2, 3])
    if (square || k === 2)
      views.push({ name: `rot90_${k}`, apply: (t) => rotate90(t, { k, spatialAxes: [0, 1] }) });
  return views;
}

/** The disagreement of the views and their mean class probabilities. */
export interface TtaScore {
  /** mean over classes of the population variance across views of the softmax probability; 0 = all agree. */
  readonly score: number;
  /** Mean softmax probabilities over the views [classes]. */
  readonly probabilities: number[];
  /** Fraction of views whose argmax is the most common argmax (1 = all agree on the class). */
  readonly agreement: number;
}

/**
 * Runs `classifier` once on all views of `input` (one NCDHW sample, C order) as one batch and scores
 * their disagreement (see the file header). Throws SHAPE_MISMATCH for an input of the wrong length or a
 * view that changes the shape.
 */
export async function ttaDisagreement(
  classifier: Classifier,
  input: Float32Array,
  augmentations: readonly Augmentation[] = defaultAugmentations(classifier.inputShape),
): Promise<TtaScore> {
  const shape = classifier.inputShape;
  const sample = shape.reduce((a, b) => a * b, 1);
  if (input.length !== sample)
    throw new VoxlabError(
      'SHAPE_MISMATCH',
      `ttaDisagreement: expected ${sample} values ([${shape.join(', ')}]), got ${input.length}`,
    );
  if (augmentations.length < 2)
    throw new VoxlabError('BAD_ARGUMENT', 'ttaDisagreement: needs at least 2 views');
  const batch = new Float32Array(sample * augmentations.length);
  augmentations.forEach((a, v) => {
    const view = a.apply({ shape, data: input });
    if (view.data.length !== sample || view.shape.some((s, d) => s !== shape[d]))
      throw new VoxlabError(
        'SHAPE_MISMATCH',
        `ttaDisagreement: view ${a.name} changes the shape to [${view.shape.join(', ')}]`,
      );
    batch.set(view.data, v * sample);
  });
  const logits = await classifier.predict(batch, augmentations.length);
  const classes = classifier.classes.length;
  const probs = augmentations.map((_, v) => softmax(logits.subarray(v * classes, (v + 1) * classes)));
  return scoreViews(probs);
}

/** Disagreement of per-view probability rows (exported for tests and for callers with their own views). */
export function scoreViews(probs: readonly ArrayLike<number>[]): TtaScore {
  const views = probs.length;
  const classes = probs[0]!.length;
  const mean = Array.from({ length: classes }, (_, k) => probs.reduce((s, p) => s + p[k]!, 0) / views);
  let variance = 0;
  for (let k = 0; k < classes; k++)
    variance += probs.reduce((s, p) => s + (p[k]! - mean[k]!) ** 2, 0) / views;
  const votes = new Map<number, number>();
  for (const p of probs) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (p[k]! > p[best]!) best = k;
    votes.set(best, (votes.get(best) ?? 0) + 1);
  }
  return { score: variance / classes, probabilities: mean, agreement: Math.max(...votes.values()) / views };
}
