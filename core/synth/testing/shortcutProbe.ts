// Test helper for issue #16's shortcut check: global features of a preprocessed image, a small L2
// logistic regression on them, and the ROC AUC of its scores. Nothing here sees where the lesion is.

import { VoxlabError } from '../../common/errors.js';

/** Histogram bins over [0, 1] (the range ScaleIntensity maps to). */
export const HISTOGRAM_BINS = 16;
/** Quantiles reported beside the histogram. */
const QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 0.999] as const;
/** Names of globalFeatures' entries, in order. */
export const GLOBAL_FEATURE_NAMES = [
  'min',
  'max',
  'mean',
  'std',
  ...QUANTILES.map((q) => `q${q}`),
  ...Array.from({ length: HISTOGRAM_BINS }, (_, b) => `hist${b}`),
] as const;

/**
 * Global features of an image of any layout (e.g. seedPreprocess's [1, D, H, W] output, values in
 * [0, 1]): min, max, mean, standard deviation, the QUANTILES, and the fraction of voxels in each of
 * HISTOGRAM_BINS equal bins over [0, 1] (values outside go to the end bins). No spatial information.
 */
export function globalFeatures(data: Float32Array): number[] {
  if (data.length === 0) throw new VoxlabError('BAD_ARGUMENT', 'globalFeatures: empty image');
  const sorted = Float32Array.from(data).sort();
  let sum = 0;
  let sum2 = 0;
  const hist = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (const v of sorted) {
    sum += v;
    sum2 += v * v;
    hist[Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor(v * HISTOGRAM_BINS)))]!++;
  }
  const n = sorted.length;
  const mean = sum / n;
  const quantiles = QUANTILES.map((q) => sorted[Math.min(n - 1, Math.floor(q * n))]!);
  return [
    sorted[0]!,
    sorted[n - 1]!,
    mean,
    Math.sqrt(Math.max(0, sum2 / n - mean * mean)),
    ...quantiles,
    ...hist.map((h) => h / n),
  ];
}

/** A fitted linear scorer: score(x) = w · standardise(x) + b. */
export interface LinearScorer {
  score(x: readonly number[]): number;
}

/**
 * L2-regularised logistic regression by full-batch gradient descent on z-scored features (mean and
 * standard deviation from the training rows; a constant feature is dropped). `lambda` weighs 0.5 |w|².
 */
export function fitLogistic(
  rows: readonly (readonly number[])[],
  labels: readonly (0 | 1)[],
  { lambda = 0.05, steps = 3000, rate = 0.2 } = {},
): LinearScorer {
  if (rows.length !== labels.length || rows.length < 2) {
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `fitLogistic: need ≥ 2 rows and one label each, got ${rows.length}/${labels.length}`,
    );
  }
  const d = rows[0]!.length;
  const mu = Array.from({ length: d }, (_, f) => rows.reduce((s, r) => s + r[f]!, 0) / rows.length);
  const sd = mu.map((m, f) => Math.sqrt(rows.reduce((s, r) => s + (r[f]! - m) ** 2, 0) / rows.length));
  const z = (x: readonly number[]): number[] => x.map((v, f) => (sd[f]! > 1e-12 ? (v - mu[f]!) / sd[f]! : 0));
  const zs = rows.map(z);
  const w = new Array<number>(d).fill(0);
  let b = 0;
  for (let step = 0; step < steps; step++) {
    const gw = w.map((wf) => lambda * wf);
    let gb = 0;
    for (let r = 0; r < zs.length; r++) {
      const x = zs[r]!;
      const p = 1 / (1 + Math.exp(-(b + x.reduce((s, v, f) => s + v * w[f]!, 0))));
      const e = (p - labels[r]!) / zs.length;
      for (let f = 0; f < d; f++) gw[f]! += e * x[f]!;
      gb += e;
    }
    for (let f = 0; f < d; f++) w[f]! -= rate * gw[f]!;
    b -= rate * gb;
  }
  return { score: (x) => b + z(x).reduce((s, v, f) => s + v * w[f]!, 0) };
}

/**
 * ROC AUC of `scores` for `labels` (1 = positive): the Mann-Whitney probability that a positive scores
 * above a negative, ties counting one half. Throws BAD_ARGUMENT when a class is missing.
 */
export function rocAuc(scores: readonly number[], labels: readonly (0 | 1)[]): number {
  const pos = scores.filter((_, i) => labels[i] === 1);
  const neg = scores.filter((_, i) => labels[i] === 0);
  if (pos.length === 0 || neg.length === 0) {
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `rocAuc: need both classes, got ${pos.length} positives and ${neg.length} negatives`,
    );
  }
  let wins = 0;
  for (const p of pos) for (const q of neg) wins += p > q ? 1 : p === q ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}
