// Each op against a plain-JavaScript transcription of PyTorch's definition, on small odd-sized inputs
// (where tfjs 'same' padding and PyTorch padding place windows differently).

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../common/random.js';
import type { ModelNode } from './graph.js';
import { permute, torchToTfPerm } from './layout.js';
import { useBackend } from './testing/backends.js';
import { runNode, type NodeState } from './tfLayers.js';

type Vol = { shape: [number, number, number, number, number]; data: Float32Array }; // NDHWC
const at = (v: Vol, n: number, d: number, h: number, w: number, c: number) =>
  v.data[(((n * v.shape[1] + d) * v.shape[2] + h) * v.shape[3] + w) * v.shape[4] + c]!;

function randomVol(shape: Vol['shape'], seed: number, lo = -1, hi = 1): Vol {
  const r = new SeededRandom(seed);
  return {
    shape,
    data: Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => r.uniform(lo, hi)),
  };
}

/** PyTorch's window op: out[n, d, h, w, c] = reduce over the window of padded input (pad value `fill`). */
function windowRef(
  x: Vol,
  k: number,
  s: number,
  p: number,
  outC: number,
  cell: (get: (dz: number, dy: number, dx: number, ci: number) => number, co: number) => number,
): number[] {
  const out: number[] = [];
  const o = (i: number) => Math.floor((x.shape[i]! + 2 * p - k) / s) + 1;
  for (let n = 0; n < x.shape[0]; n++)
    for (let d = 0; d < o(1); d++)
      for (let h = 0; h < o(2); h++)
        for (let w = 0; w < o(3); w++)
          for (let co = 0; co < outC; co++) {
            const get = (dz: number, dy: number, dx: number, ci: number) => {
              const [z, y, xx] = [d * s - p + dz, h * s - p + dy, w * s - p + dx];
              const inside =
                z >= 0 && y >= 0 && xx >= 0 && z < x.shape[1] && y < x.shape[2] && xx < x.shape[3];
              return inside ? at(x, n, z, y, xx, ci) : NaN;
            };
            out.push(cell(get, co));
          }
  return out;
}

function state(values: Record<string, tf.Tensor>): NodeState & { counted: string[] } {
  const vars = new Map(Object.entries(values).map(([k, v]) => [k, tf.variable(v)]));
  const counted: string[] = [];
  return { variable: (key) => vars.get(key)!, countBatch: (m) => counted.push(m), counted };
}

const node = <N extends ModelNode>(fields: Partial<N> & Pick<N, 'op'>): N =>
  ({ name: 'm', inputs: ['input'], outputShape: [], segment: 's', state: [], ...fields }) as unknown as N;

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));

describe('runNode', () => {
  beforeAll(() => useBackend('cpu'));

  it.each([
    [7, 2, 3, [1, 9, 8, 7, 2]],
    [3, 2, 1, [2, 5, 6, 7, 3]],
    [3, 1, 1, [1, 4, 5, 3, 2]],
    [1, 1, 0, [1, 3, 3, 2, 4]],
  ] as const)('conv k=%i stride=%i pad=%i on %j matches PyTorch Conv3d', (k, s, p, shape) => {
    const x = randomVol([...shape], 1);
    const cin = shape[4];
    const cout = 3;
    const wTorch = randomVol([cout, cin, k, k, k], 2).data; // [out, in, kd, kh, kw]
    const expected = windowRef(x, k, s, p, cout, (get, co) => {
      let sum = 0;
      for (let ci = 0; ci < cin; ci++)
        for (let dz = 0; dz < k; dz++)
          for (let dy = 0; dy < k; dy++)
            for (let dx = 0; dx < k; dx++)
              sum += (get(dz, dy, dx, ci) || 0) * wTorch[(((co * cin + ci) * k + dz) * k + dy) * k + dx]!;
      return sum;
    });
    const weight = tf.tensor(permute(wTorch, [cout, cin, k, k, k], torchToTfPerm(5)), [k, k, k, cin, cout]);
    const y = tf.tidy(() =>
      runNode(
        node({ op: 'conv', name: 'c', kernel: k, stride: s, padding: p }),
        [tf.tensor(x.data, x.shape)],
        state({ 'c.weight': weight }),
        { training: false },
      ),
    );
    expect(maxAbsDiff(y.dataSync(), expected)).toBeLessThan(1e-4); // float32 sums of up to 686 terms; a misplaced window is off by O(1)
  });

  it('max-pools with -infinity padding (negative inputs at the border win) and avg-pools with floor', () => {
    const x = randomVol([1, 5, 6, 7, 2], 3, -5, -1);
    const xt = tf.tensor(x.data, x.shape);
    const max = runNode(node({ op: 'maxPool', kernel: 3, stride: 2, padding: 1 }), [xt], state({}), {
      training: false,
    });
    const maxRef = windowRef(x, 3, 2, 1, 2, (get, c) => {
      let m = -Infinity;
      for (let i = 0; i < 27; i++)
        m = Math.max(m, get(Math.floor(i / 9), Math.floor(i / 3) % 3, i % 3, c) || -Infinity);
      return m;
    });
    expect(max.shape).toEqual([1, 3, 3, 4, 2]);
    expect(Array.from(max.dataSync())).toEqual(maxRef.map(Math.fround));
    const avg = runNode(node({ op: 'avgPool', kernel: 2, stride: 2 }), [xt], state({}), { training: false });
    const avgRef = windowRef(
      x,
      2,
      2,
      0,
      2,
      (get, c) => [0, 1, 2, 3, 4, 5, 6, 7].reduce((a, i) => a + get(i >> 2, (i >> 1) & 1, i & 1, c), 0) / 8,
    );
    expect(avg.shape).toEqual([1, 2, 3, 3, 2]);
    expect(maxAbsDiff(avg.dataSync(), avgRef)).toBeLessThan(1e-6);
  });

  it('batch-norms in eval with running stats and in training with batch stats, updating running stats', () => {
    const x = randomVol([2, 3, 2, 3, 4], 4, -2, 3);
    const [g, b, rm, rv] = [
      [1, 2, 0.5, -1],
      [0, 0.1, -0.2, 3],
      [0.3, -0.1, 0, 1],
      [2, 0.5, 1, 4],
    ];
    const st = state({
      'm.weight': tf.tensor(g!),
      'm.bias': tf.tensor(b!),
      'm.running_mean': tf.tensor(rm!),
      'm.running_var': tf.tensor(rv!),
    });
    const bn = node<ModelNode & { op: 'batchNorm' }>({ op: 'batchNorm', eps: 1e-5, momentum: 0.1 });
    const eval_ = runNode(bn, [tf.tensor(x.data, x.shape)], st, { training: false }).dataSync();
    const evalRef = Array.from(
      x.data,
      (v, i) => ((v - rm![i % 4]!) / Math.sqrt(rv![i % 4]! + 1e-5)) * g![i % 4]! + b![i % 4]!,
    );
    expect(maxAbsDiff(eval_, evalRef)).toBeLessThan(1e-5);

    const n = x.data.length / 4;
    const mean = [0, 1, 2, 3].map((c) => x.data.filter((_, i) => i % 4 === c).reduce((a, v) => a + v, 0) / n);
    const biased = [0, 1, 2, 3].map(
      (c) => x.data.filter((_, i) => i % 4 === c).reduce((a, v) => a + (v - mean[c]!) ** 2, 0) / n,
    );
    const train = runNode(bn, [tf.tensor(x.data, x.shape)], st, { training: true }).dataSync();
    const trainRef = Array.from(
      x.data,
      (v, i) => ((v - mean[i % 4]!) / Math.sqrt(biased[i % 4]! + 1e-5)) * g![i % 4]! + b![i % 4]!,
    );
    expect(maxAbsDiff(train, trainRef)).toBeLessThan(1e-5);
    expect(
      maxAbsDiff(
        st.variable('m.running_mean').dataSync(),
        rm!.map((r, c) => 0.9 * r + 0.1 * mean[c]!),
      ),
    ).toBeLessThan(1e-6);
    expect(
      maxAbsDiff(
        st.variable('m.running_var').dataSync(),
        rv!.map((r, c) => 0.9 * r + (0.1 * biased[c]! * n) / (n - 1)),
      ),
    ).toBeLessThan(1e-6);
    expect(st.counted).toEqual(['m']);
    const one = tf.ones([1, 1, 1, 1, 4]);
    expect(() => runNode(bn, [one], st, { training: true })).toThrow(/more than 1 value per channel/);
  });

  it('flattens NDHWC in PyTorch NCDHW order', () => {
    const x = tf.tensor(
      Float32Array.from({ length: 12 }, (_, i) => i),
      [1, 2, 2, 1, 3],
    ); // value = ((d*2+h)*3)+c
    const flat = runNode(node({ op: 'flatten' }), [x], state({}), { training: false });
    expect(Array.from(flat.dataSync())).toEqual([0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11]);
  });

  it('drops out only in training, with masks fixed by dropoutSeed and survivors scaled by 1/(1-p)', () => {
    const x = tf.ones([1, 4, 4, 4, 8]);
    const drop = node({ op: 'dropout', name: 'features.d', p: 0.25 });
    expect(runNode(drop, [x], state({}), { training: false })).toBe(x);
    const a = runNode(drop, [x], state({}), { training: true, dropoutSeed: 9 }).dataSync();
    const b = runNode(drop, [x], state({}), { training: true, dropoutSeed: 9 }).dataSync();
    const c = runNode(drop, [x], state({}), { training: true, dropoutSeed: 10 }).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(new Set(Array.from(a).map((v) => v.toFixed(5)))).toEqual(new Set(['0.00000', '1.33333']));
  });
});
