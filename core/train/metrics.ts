// Classification metrics from logits: cross-entropy, accuracy, ROC AUC (Mann-Whitney U with mid-ranks for
// ties, equal to the trapezoid area under the ROC curve; Hanley & McNeil 1982) and the confusion matrix.

import { VoxlabError } from '../common/errors.js';

/** What one evaluation pass reports. Plain JSON. */
export interface ClassificationMetrics {
  /** Number of volumes scored. */
  readonly n: number;
  /** Mean cross-entropy (natural log) of the softmax of the logits against the true classes. */
  readonly loss: number;
  /** Fraction of volumes whose argmax logit is the true class, in [0, 1]. */
  readonly accuracy: number;
  /**
   * ROC AUC in [0, 1]: for 2 classes, of the probability of class 1 (the second class name) with class 1
   * as positive; for more, the mean of one-vs-rest AUCs. null when a class needed for it is absent.
   */
  readonly auc: number | null;
  /** confusion[t][p] = volumes of true class t predicted as class p. */
  readonly confusion: readonly (readonly number[])[];
}

/**
 * Softmax over each row of `logits` ([n, classes] row-major). Subtracts the row max first, so large
 * logits do not overflow. Returns a new [n, classes] array of probabilities.
 */
export function softmaxRows(logits: Float32Array | readonly number[], classes: number): Float64Array {
  const n = logits.length / classes;
  if (!Number.isInteger(n) || classes < 1)
    throw new VoxlabError(
      'SHAPE_MISMATCH',
      `softmaxRows: ${logits.length} logits do not make rows of ${classes}`,
    );
  const out = new Float64Array(logits.length);
  for (let r = 0; r < n; r++) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[r * classes + c]!);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += out[r * classes + c] = Math.exp(logits[r * classes + c]! - max);
    for (let c = 0; c < classes; c++) out[r * classes + c]! /= sum;
  }
  return out;
}

/** Mean cross-entropy of logits [n, classes] against `labels` (class indices), via log-sum-exp. */
export function crossEntropy(
  logits: Float32Array | readonly number[],
  labels: ArrayLike<number>,
  classes: number,
): number {
  let total = 0;
  for (let r = 0; r < labels.length; r++) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[r * classes + c]!);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[r * classes + c]! - max);
    total += max + Math.log(sum) - logits[r * classes + labels[r]!]!;
  }
  return labels.length === 0 ? NaN : total / labels.length;
}

/**
 * AUC = P(score of a random positive > score of a random negative) + 0.5 P(equal): the Mann-Whitney U
 * statistic over n_pos * n_neg, with tied scores given their mean rank. null when either class is empty.
 */
export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const midRank = (i + j) / 2 + 1; // ranks are 1-based
    for (let t = i; t <= j; t++) {
      if (positive[order[t]!]) {
        rankSumPos += midRank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * The ROC curve as (false positive rate, true positive rate) points from (0, 0) to (1, 1), one point per
 * distinct threshold (tied scores move both rates at once, giving a diagonal segment), and the trapezoid
 * area under it, which equals rocAuc. null when either class is empty.
 */
export function rocCurve(
  scores: ArrayLike<number>,
  positive: ArrayLike<boolean>,
): { points: [number, number][]; area: number } | null {
  const n = scores.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) if (positive[i]) nPos++;
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const points: [number, number][] = [[0, 0]];
  let tp = 0;
  let fp = 0;
  let area = 0;
  for (let i = 0; i < n;) {
    const threshold = scores[order[i]!];
    for (; i < n && scores[order[i]!] === threshold; i++) {
      if (positive[order[i]!]) tp++;
      else fp++;
    }
    const [x0, y0] = points[points.length - 1]!;
    const point: [number, number] = [fp / nNeg, tp / nPos];
    area += ((point[0] - x0) * (point[1] + y0)) / 2;
    points.push(point);
  }
  return { points, area };
}

/** confusion[t][p] counts for true classes `labels` and predicted classes `predicted`. */
export function confusionMatrix(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes: number,
): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) m[labels[i]!]![predicted[i]!]!++;
  return m;
}

/** Index of the largest logit of each row (the first one on ties, as torch.argmax). */
export function argmaxRows(logits: Float32Array | readonly number[], classes: number): Int32Array {
  const n = logits.length / classes;
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[r * classes + c]! > logits[r * classes + best]!) best = c;
    out[r] = best;
  }
  return out;
}

/**
 * Every metric for logits [n, classes] (row-major, n = labels.length) against class indices `labels`.
 * Throws SHAPE_MISMATCH when the sizes disagree or a label is not a class index.
 */
export function classificationMetrics(
  logits: Float32Array | readonly number[],
  labels: ArrayLike<number>,
  classes: number,
): ClassificationMetrics {
  const n = labels.length;
  if (logits.length !== n * classes)
    throw new VoxlabError(
      'SHAPE_MISMATCH',
      `classificationMetrics: ${logits.length} logits for ${n} labels of ${classes} classes`,
    );
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    if (!Number.isInteger(l) || l < 0 || l >= classes)
      throw new VoxlabError(
        'SHAPE_MISMATCH',
        `classificationMetrics: label ${i} is ${l}, not a class index below ${classes}`,
      );
  }
  const predicted = argmaxRows(logits, classes);
  let correct = 0;
  for (let i = 0; i < n; i++) if (predicted[i] === labels[i]) correct++;
  return {
    n,
    loss: crossEntropy(logits, labels, classes),
    accuracy: n === 0 ? NaN : correct / n,
    auc: multiClassAuc(softmaxRows(logits, classes), labels, classes),
    confusion: confusionMatrix(labels, predicted, classes),
  };
}

/** Binary: AUC of P(class 1). More classes: mean one-vs-rest AUC (null if any class is absent). */
function multiClassAuc(probs: Float64Array, labels: ArrayLike<number>, classes: number): number | null {
  const column = (c: number) => Array.from({ length: labels.length }, (_, i) => probs[i * classes + c]!);
  const isClass = (c: number) => Array.from({ length: labels.length }, (_, i) => labels[i] === c);
  if (classes === 2) return rocAuc(column(1), isClass(1));
  let sum = 0;
  for (let c = 0; c < classes; c++) {
    const auc = rocAuc(column(c), isClass(c));
    if (auc === null) return null;
    sum += auc;
  }
  return sum / classes;
}
