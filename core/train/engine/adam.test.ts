import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { isVoxlabError } from '../../common/errors.js';
import { useBackend } from '../../model/testing/backends.js';
import { Adam } from './adam.js';

/**
 * torch.optim.Adam's single-tensor update (torch/optim/adam.py, amsgrad off) for one scalar parameter, in
 * float64: m.lerp_(g, 1 - b1); v = v b2 + (1 - b2) g^2; p -= lr / bc1 * m / (sqrt(v) / sqrt(bc2) + eps).
 */
function torchAdam(
  p: number,
  grads: number[],
  lr: number,
  wd = 0,
  [b1, b2] = [0.9, 0.999],
  eps = 1e-8,
): number[] {
  let m = 0;
  let v = 0;
  return grads.map((grad, i) => {
    const t = i + 1;
    const g = grad + wd * p;
    m = m + (1 - b1) * (g - m);
    v = v * b2 + (1 - b2) * g * g;
    const denom = Math.sqrt(v) / Math.sqrt(1 - b2 ** t) + eps;
    p = p - (lr / (1 - b1 ** t)) * (m / denom);
    return p;
  });
}

describe('Adam (torch.optim.Adam semantics)', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  const GRADS = [
    [0.5, -2, 0.001],
    [-0.3, 1, 0.002],
    [0.2, 0.5, -0.004],
  ];

  it.each<[string, { lr: number; weightDecay?: number }]>([
    ['lr 0.1', { lr: 0.1 }],
    ['lr 1e-3, weight decay 0.01', { lr: 1e-3, weightDecay: 0.01 }],
  ])('follows torch formula for 3 steps (%s)', (_name, options) => {
    const p = tf.variable(tf.tensor1d([1, -2, 0.5]));
    const adam = new Adam([['w', p]], options);
    const history: number[][] = [];
    for (const g of GRADS) {
      const grad = tf.tensor1d(g);
      adam.step(new Map([['w', grad]]));
      grad.dispose();
      history.push(Array.from(p.dataSync()));
    }
    [1, -2, 0.5].forEach((p0, j) => {
      const expected = torchAdam(
        p0,
        GRADS.map((g) => g[j]!),
        options.lr,
        options.weightDecay ?? 0,
      );
      expected.forEach((value, step) => expect(history[step]![j]).toBeCloseTo(value, 6));
    });
    expect(adam.stepCount).toBe(3);
    adam.dispose();
    p.dispose();
  });

  it('takes a first step of lr * sign(g) (bias correction: m/sqrt(v) = g/|g| at t = 1)', () => {
    // Hand-computed: m = 0.05, v = 2.5e-4, bc1 = 0.1, bc2 = 1e-3 -> p = 1 - 1 * 0.05 / (0.5 + 1e-8) = 0.9.
    const p = tf.variable(tf.tensor1d([1]));
    const adam = new Adam([['w', p]], { lr: 0.1 });
    const g = tf.tensor1d([0.5]);
    adam.step(new Map([['w', g]]));
    expect(p.dataSync()[0]).toBeCloseTo(0.9, 7);
    tf.dispose([p, g]);
    adam.dispose();
  });

  it('defaults to lr 1e-5, betas (0.9, 0.999), eps 1e-8, no weight decay', () => {
    const p = tf.variable(tf.scalar(0));
    const adam = new Adam([['w', p]]);
    expect([adam.lr, ...adam.betas, adam.eps, adam.weightDecay]).toEqual([1e-5, 0.9, 0.999, 1e-8, 0]);
    adam.dispose();
    p.dispose();
  });

  it('resumes from state() exactly as if never stopped', () => {
    const run = (stopAfter: number | null) => {
      const p = tf.variable(tf.tensor1d([1, -2, 0.5]));
      let adam = new Adam([['w', p]], { lr: 0.05 });
      GRADS.forEach((g, i) => {
        if (i === stopAfter) {
          const saved = JSON.parse(
            JSON.stringify(adam.state(), (_k, v) => (v instanceof Float32Array ? [...v] : v)),
          );
          adam.dispose();
          adam = new Adam([['w', p]], { lr: 0.05 });
          const asArrays = (r: Record<string, number[]>) =>
            Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Float32Array.from(v)]));
          adam.loadState({ step: saved.step, m: asArrays(saved.m), v: asArrays(saved.v) });
        }
        const grad = tf.tensor1d(g);
        adam.step(new Map([['w', grad]]));
        grad.dispose();
      });
      const result = Array.from(p.dataSync());
      adam.dispose();
      p.dispose();
      return result;
    };
    expect(run(2)).toEqual(run(null));
  });

  it('keeps its tensor count: 2 moments per parameter after the first step, nothing more later', () => {
    const p = tf.variable(tf.zeros([4, 3]));
    const adam = new Adam([['w', p]], { lr: 0.1 });
    const g = tf.ones([4, 3]);
    const before = tf.memory().numTensors;
    adam.step(new Map([['w', g]]));
    expect(tf.memory().numTensors).toBe(before + 2);
    adam.step(new Map([['w', g]]));
    expect(tf.memory().numTensors).toBe(before + 2);
    adam.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([p, g]);
  });

  it.each([
    ['a missing gradient', new Map<string, number[]>(), 'BAD_ARGUMENT'],
    ['a wrongly shaped gradient', new Map([['w', [1, 2]]]), 'SHAPE_MISMATCH'],
    [
      'an unknown key',
      new Map([
        ['w', [1]],
        ['other', [1]],
      ]),
      'BAD_ARGUMENT',
    ],
  ])('rejects %s', (_name, values, code) => {
    const p = tf.variable(tf.tensor1d([1]));
    const adam = new Adam([['w', p]]);
    const grads = new Map([...values].map(([k, v]) => [k, tf.tensor1d(v)]));
    let caught: unknown;
    try {
      adam.step(grads);
    } catch (e) {
      caught = e;
    }
    expect(isVoxlabError(caught) && caught.code).toBe(code);
    tf.dispose([p, ...grads.values()]);
  });
});
