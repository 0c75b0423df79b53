import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { isVoxlabError } from '../../common/errors.js';
import { useBackend } from '../../model/testing/backends.js';
import { crossEntropyLoss } from './crossEntropy.js';

/** torch.nn.CrossEntropyLoss by hand in float64: mean over rows of logsumexp(row) - row[label]. */
function manualLoss(logits: number[][], labels: number[]): number {
  const terms = logits.map((row, b) => {
    const max = Math.max(...row);
    const logSumExp = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
    return logSumExp - row[labels[b]!]!;
  });
  return terms.reduce((a, b) => a + b, 0) / logits.length;
}

/** (softmax - onehot) / batch by hand. */
function manualGrad(logits: number[][], labels: number[]): number[] {
  return logits.flatMap((row, b) => {
    const max = Math.max(...row);
    const exps = row.map((v) => Math.exp(v - max));
    const total = exps.reduce((a, c) => a + c, 0);
    return exps.map((e, c) => (e / total - (c === labels[b] ? 1 : 0)) / logits.length);
  });
}

describe('crossEntropyLoss', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it.each([
    [
      'two classes',
      [
        [2, -1],
        [0.5, 0.25],
        [-3, 4],
      ],
      [0, 1, 0],
    ],
    [
      'three classes',
      [
        [0.1, 0.2, 0.3],
        [3, -2, 1],
      ],
      [2, 0],
    ],
    [
      'huge logits (stability)',
      [
        [1000, -1000],
        [-500, 500],
      ],
      [1, 1],
    ],
    ['equal logits: log(classes)', [[7, 7, 7, 7]], [3]],
  ])('%s: value and gradient equal the manual formula', (_name, logits, labels) => {
    const z = tf.tensor2d(logits);
    const expected = manualLoss(logits, labels);
    const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => crossEntropyLoss(t, Int32Array.from(labels)))(
      z,
    );
    expect(value.dataSync()[0]).toBeCloseTo(expected, 4);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    const g = Array.from(grad.dataSync());
    manualGrad(logits, labels).forEach((v, i) => expect(g[i]).toBeCloseTo(v, 6));
    tf.dispose([z, value, grad]);
  });

  it('accepts an int32 label tensor', () => {
    const z = tf.tensor2d([
      [1, 2],
      [3, 1],
    ]);
    const labels = tf.tensor1d([1, 0], 'int32');
    const loss = crossEntropyLoss(z, labels);
    expect(loss.dataSync()[0]).toBeCloseTo(
      manualLoss(
        [
          [1, 2],
          [3, 1],
        ],
        [1, 0],
      ),
      5,
    );
    tf.dispose([z, labels, loss]);
  });

  it.each([
    ['a label out of range', [[1, 2]], [2], 'BAD_ARGUMENT'],
    ['a negative label', [[1, 2]], [-1], 'BAD_ARGUMENT'],
    [
      'too few labels',
      [
        [1, 2],
        [3, 4],
      ],
      [0],
      'SHAPE_MISMATCH',
    ],
  ])('rejects %s', (_name, logits, labels, code) => {
    const z = tf.tensor2d(logits);
    let caught: unknown;
    try {
      crossEntropyLoss(z, Int32Array.from(labels));
    } catch (e) {
      caught = e;
    }
    expect(isVoxlabError(caught) && caught.code).toBe(code);
    z.dispose();
  });
});
