import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { getGradient, registerGradient, unregisterGradient } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../model/testing/backends.js';
import { relativeError, seededTensor, withOurGradients } from '../testing/gradientSwap.js';
import { conv3dGrad } from './conv3d.js';
import { registerTrainingGradients, TRAINING_GRADIENTS } from './index.js';

type Op = (...xs: tf.Tensor[]) => tf.Tensor;
/**
 * [kernel, op, input shapes, input range, finite-difference step]: small inputs, positive where the op
 * needs it; a smaller step where nearby values could swap a maximum.
 */
type Case = [string, Op, number[][], [number, number]?, number?];

const conv =
  (stride: number, pad: 'same' | 'valid'): Op =>
  (x, w) =>
    tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, stride, pad);

const CASES: Case[] = [
  ['Add (broadcast)', (a, b) => tf.add(a!, b!), [[2, 3, 4], [4]]],
  [
    'Sub (broadcast both)',
    (a, b) => tf.sub(a!, b!),
    [
      [2, 1, 4],
      [3, 1],
    ],
  ],
  [
    'Multiply (channel scale)',
    (a, b) => tf.mul(a!, b!),
    [
      [2, 3, 4],
      [1, 3, 1],
    ],
  ],
  ['RealDiv', (a, b) => tf.div(a!, b!), [[2, 3], [3]], [0.5, 2]],
  // tfjs's reference SquaredDifference gradient does not undo broadcasting (it throws): same shapes here,
  // broadcasting is covered by the finite-difference test below.
  [
    'SquaredDifference',
    (a, b) => tf.squaredDifference(a!, b!),
    [
      [2, 3],
      [2, 3],
    ],
  ],
  ['Neg', (x) => tf.neg(x!), [[2, 3]]],
  ['Square', (x) => tf.square(x!), [[2, 3]]],
  ['Sqrt', (x) => tf.sqrt(x!), [[2, 3]], [0.5, 2]],
  ['Rsqrt', (x) => tf.rsqrt(x!), [[2, 3]], [0.5, 2]],
  ['Exp', (x) => tf.exp(x!), [[2, 3]]],
  ['Log', (x) => tf.log(x!), [[2, 3]], [0.5, 2]],
  ['Relu', (x) => tf.relu(x!), [[2, 3, 4]]],
  ['Cast', (x) => tf.cast(x!, 'float32'), [[2, 3]]],
  ['Identity', (x) => tf.clone(x!), [[2, 3]]],
  ['Reshape', (x) => tf.reshape(x!, [6, 4]), [[2, 3, 4]]],
  ['Transpose', (x) => tf.transpose(x!, [2, 0, 1]), [[2, 3, 4]]],
  ['Mean (BatchNorm axes)', (x) => tf.mean(x!, [0, 1, 2, 3]), [[2, 2, 2, 2, 3]]],
  ['Mean (keepDims, all)', (x) => tf.mean(x!, undefined, true), [[2, 3]]],
  ['Sum (negative axis)', (x) => tf.sum(x!, -2), [[2, 3, 4]]],
  ['Max', (x) => tf.max(x!, 1, true), [[3, 5]], undefined, 1e-3],
  ['Softmax', (x) => tf.softmax(x!), [[3, 4]]],
  ['Slice (size -1)', (x) => tf.slice(x!, [0, 1, 1], [2, -1, 2]), [[2, 3, 4]]],
  [
    'PadV2',
    (x) =>
      tf.pad(
        x!,
        [
          [0, 0],
          [1, 2],
          [0, 1],
        ],
        0.5,
      ),
    [[2, 3, 4]],
  ],
  [
    'PadV2 (5-D spatial, -Infinity)',
    (x) =>
      tf.maxPool3d(
        tf.pad(
          x!,
          [
            [0, 0],
            [1, 1],
            [1, 1],
            [1, 1],
            [0, 0],
          ],
          -Infinity,
        ) as tf.Tensor5D,
        3,
        2,
        'valid',
      ),
    [[1, 4, 4, 4, 2]],
    undefined,
    1e-3,
  ],
  [
    'Concat (channels)',
    (a, b) => tf.concat([a!, b!], 4),
    [
      [1, 2, 2, 2, 3],
      [1, 2, 2, 2, 2],
    ],
  ],
  [
    'Concat (axis 1, three)',
    (a, b, c) => tf.concat([a!, b!, c!], 1),
    [
      [2, 1, 3],
      [2, 2, 3],
      [2, 3, 3],
    ],
  ],
  [
    'Conv3D (3^3, same)',
    conv(1, 'same'),
    [
      [2, 5, 5, 5, 2],
      [3, 3, 3, 2, 3],
    ],
  ],
  [
    'Conv3D (3^3, stride 2, valid)',
    conv(2, 'valid'),
    [
      [1, 6, 7, 5, 2],
      [3, 3, 3, 2, 2],
    ],
  ],
  [
    'Conv3D (1^3)',
    conv(1, 'valid'),
    [
      [2, 3, 3, 3, 4],
      [1, 1, 1, 4, 2],
    ],
  ],
  ['AvgPool3D', (x) => tf.avgPool3d(x as tf.Tensor5D, 2, 2, 'valid'), [[1, 5, 4, 4, 2]]],
  ['MaxPool3D', (x) => tf.maxPool3d(x as tf.Tensor5D, 3, 2, 'valid'), [[1, 5, 5, 5, 2]], undefined, 1e-3],
  [
    'BatchMatMul',
    (a, b) => tf.matMul(a!, b!),
    [
      [3, 4],
      [4, 2],
    ],
  ],
  [
    'BatchMatMul (aT)',
    (a, b) => tf.matMul(a!, b!, true, false),
    [
      [4, 3],
      [4, 2],
    ],
  ],
  [
    'BatchMatMul (bT)',
    (a, b) => tf.matMul(a!, b!, false, true),
    [
      [3, 4],
      [2, 4],
    ],
  ],
  [
    'BatchMatMul (aT bT, batched)',
    (a, b) => tf.matMul(a!, b!, true, true),
    [
      [2, 4, 3],
      [2, 2, 4],
    ],
  ],
];

/** Gradients of sum(op(xs) * dy) with respect to every input, as flat arrays. */
function gradsOf(op: Op, xs: tf.Tensor[], dy: tf.Tensor): Float32Array[] {
  return tf.tidy(() =>
    tf
      .grads(op)(xs, dy)
      .map((g) => g.dataSync() as Float32Array),
  );
}

function inputs(shapes: number[][], range: [number, number] = [-1, 1]): tf.Tensor[] {
  return shapes.map((s, i) => seededTensor(s, 11 + i, ...range));
}

describe('our gradient registrations (cpu backend)', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it.each(CASES)('%s equals tfjs reference gradient', (_name, op, shapes, range) => {
    const xs = inputs(shapes, range);
    const dy = tf.tidy(() => seededTensor(op(...xs).shape, 5));
    const reference = gradsOf(op, xs, dy);
    const ours = withOurGradients(() => gradsOf(op, xs, dy));
    expect(ours).toHaveLength(xs.length);
    ours.forEach((g, i) => expect(relativeError(reference[i]!, g)).toBeLessThan(1e-5));
    tf.dispose([...xs, dy]);
  });

  const withBroadcastSquaredDifference: Case[] = [
    ...CASES,
    ['SquaredDifference (broadcast)', (a, b) => tf.squaredDifference(a!, b!), [[2, 3], [3]]],
  ];
  it.each(withBroadcastSquaredDifference)(
    '%s agrees with a central finite difference',
    (_name, op, shapes, range, step) => {
      // Directional derivative along a random u: <grad L, u> vs (L(x + hu) - L(x - hu)) / 2h, L = sum(op * dy).
      const xs = inputs(shapes, range);
      const dy = tf.tidy(() => seededTensor(op(...xs).shape, 5));
      const ours = withOurGradients(() => gradsOf(op, xs, dy));
      const h = step ?? 1e-2;
      xs.forEach((x, i) => {
        const u = seededTensor(x.shape, 90 + i, -0.5, 0.5);
        const lossAt = (sign: number) =>
          tf.tidy(() => {
            const moved = xs.map((t, j) => (j === i ? tf.add(t, tf.mul(u, sign * h)) : t));
            return tf.sum(tf.mul(op(...moved), dy)).dataSync()[0]!;
          });
        const numeric = (lossAt(1) - lossAt(-1)) / (2 * h);
        const analytic = Array.from(u.dataSync()).reduce((s, v, k) => s + v * ours[i]![k]!, 0);
        expect(Math.abs(numeric - analytic)).toBeLessThan(2e-3 * Math.max(1, Math.abs(analytic)));
        u.dispose();
      });
      tf.dispose([...xs, dy]);
    },
  );

  it('registers only kernels that have no gradient yet, idempotently', () => {
    const reference = getGradient('Conv3D');
    registerTrainingGradients();
    registerTrainingGradients();
    expect(getGradient('Conv3D')).toBe(reference);
    unregisterGradient('Conv3D');
    try {
      registerTrainingGradients();
      expect(getGradient('Conv3D')).toBe(conv3dGrad);
    } finally {
      registerGradient(reference);
    }
    expect(new Set(TRAINING_GRADIENTS.map((c) => c.kernelName)).size).toBe(TRAINING_GRADIENTS.length);
  });
});
