import { describe, expect, it } from 'vitest';
import {
  argmaxRows,
  classificationMetrics,
  confusionMatrix,
  crossEntropy,
  rocAuc,
  rocCurve,
  softmaxRows,
} from './metrics.js';

describe('rocAuc', () => {
  it.each([
    ['perfect separation', [0.1, 0.2, 0.8, 0.9], [false, false, true, true], 1],
    ['perfectly wrong', [0.9, 0.8, 0.2, 0.1], [false, false, true, true], 0],
    ['all scores tied', [0.5, 0.5, 0.5, 0.5], [false, true, false, true], 0.5],
    // pos {0.4, 0.8} vs neg {0.4, 0.1}: pairs (0.4>0.4 tie=.5, 0.4>0.1=1, 0.8>0.4=1, 0.8>0.1=1) = 3.5/4
    ['one tie across classes', [0.4, 0.8, 0.4, 0.1], [true, true, false, false], 3.5 / 4],
    // pos {3}, neg {1, 2, 4}: 3 beats 1 and 2 = 2/3
    ['one positive', [1, 2, 3, 4], [false, false, true, false], 2 / 3],
    // pos {.35, .8, .35} vs neg {.1, .4, .35}: each .35 scores 1 + 0 + 0.5, .8 scores 3 → 6 / 9
    [
      'ties inside and across classes',
      [0.1, 0.4, 0.35, 0.8, 0.35, 0.35],
      [false, false, true, true, false, true],
      2 / 3,
    ],
  ])('%s', (_name, scores, positive, expected) => {
    expect(rocAuc(scores, positive)).toBeCloseTo(expected, 9);
    expect(rocCurve(scores, positive)!.area).toBeCloseTo(expected, 9);
  });

  it('is null when a class is missing', () => {
    expect(rocAuc([0.1, 0.2], [true, true])).toBeNull();
    expect(rocCurve([0.1, 0.2], [false, false])).toBeNull();
  });

  it('the trapezoid ROC area equals Mann-Whitney on random scores with many ties', () => {
    let s = 7;
    const rand = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const scores = Array.from({ length: 200 }, () => Math.round(rand() * 10) / 10);
    const positive = scores.map((x) => rand() < 0.3 + 0.4 * x);
    const curve = rocCurve(scores, positive)!;
    expect(curve.area).toBeCloseTo(rocAuc(scores, positive)!, 12);
    expect(curve.points[0]).toEqual([0, 0]);
    expect(curve.points.at(-1)).toEqual([1, 1]);
    expect(curve.points.length).toBe(new Set(scores).size + 1);
  });
});

describe('confusion matrix, argmax, softmax, cross-entropy', () => {
  it('counts true class by row, predicted class by column', () => {
    expect(confusionMatrix([0, 0, 1, 1, 1, 2], [0, 1, 1, 1, 0, 2], 3)).toEqual([
      [1, 1, 0],
      [1, 2, 0],
      [0, 0, 1],
    ]);
  });

  it('argmax takes the first of equal logits, like torch.argmax', () => {
    expect([...argmaxRows([1, 1, 0, 2, 5, 5, 5, 4], 2)]).toEqual([0, 1, 0, 0]);
  });

  it('softmax is stable for large logits and cross-entropy matches the closed form', () => {
    const p = softmaxRows([1000, 1000, 0, Math.log(3)], 2);
    expect([...p]).toEqual([0.5, 0.5, 0.25, 0.75].map((v) => expect.closeTo(v, 12)));
    // labels 0 and 1: (-log 0.5 - log 0.75) / 2
    expect(crossEntropy([1000, 1000, 0, Math.log(3)], [0, 1], 2)).toBeCloseTo(
      (Math.log(2) - Math.log(0.75)) / 2,
      12,
    );
  });
});

describe('classificationMetrics', () => {
  it('reports loss, accuracy, AUC of class 1 and the confusion matrix', () => {
    // Rows: logits [class 0, class 1]. Predictions 0, 1, 1, 0; truth 0, 1, 0, 1.
    const logits = [2, 0, 0, 3, 0, 1, 1, 0.5];
    const m = classificationMetrics(logits, [0, 1, 0, 1], 2);
    expect(m.n).toBe(4);
    expect(m.accuracy).toBe(0.5);
    expect(m.confusion).toEqual([
      [1, 1],
      [1, 1],
    ]);
    // P(class 1) = sigmoid(l1 - l0): -2, 3, 1, -0.5 → positives {3, -0.5}, negatives {-2, 1}: 3/4
    expect(m.auc).toBeCloseTo(0.75, 12);
    expect(m.loss).toBeCloseTo(crossEntropy(logits, [0, 1, 0, 1], 2), 12);
  });

  it('averages one-vs-rest AUCs for 3 classes', () => {
    const logits = [5, 0, 0, 0, 5, 0, 0, 0, 5];
    expect(classificationMetrics(logits, [0, 1, 2], 3).auc).toBe(1);
    expect(classificationMetrics(logits, [0, 1, 1], 3).auc).toBeNull();
  });

  it('rejects labels that are not class indices and mismatched sizes', () => {
    expect(() => classificationMetrics([0, 1], [2], 2)).toThrow(/label 0 is 2/);
    expect(() => classificationMetrics([0, 1, 2], [0], 2)).toThrow(/3 logits for 1 labels/);
  });
});
