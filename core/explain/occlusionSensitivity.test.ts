import { describe, expect, it } from 'vitest';
import { isVoxlabError } from '../common/errors.js';
import { SeededRandom } from '../common/random.js';
import { plainOcclusionEngine, type OcclusionEngineFactory } from './occlusionEngine.js';
import { occlusionImportance } from './occlusionImportance.js';
import { planOcclusion, type OcclusionParams } from './occlusionParams.js';
import { cropToBox, occlusionSensitivity } from './occlusionSensitivity.js';
import { gaussianOcclusionFactor, importanceMap } from './occlusionWeights.js';
import { constantClassifier, linearClassifier } from './testing/analyticClassifiers.js';

const SHAPE = [1, 6, 7, 8] as const;
const N = 6 * 7 * 8;

function seeded(n: number, seed: number): Float32Array {
  const r = new SeededRandom(seed);
  return Float32Array.from({ length: n }, () => r.uniform(-1, 1));
}

/**
 * The map by brute force, straight from MONAI's definition: for every voxel, the weighted mean over all
 * windows covering it of the linear logits of the occluded input (activation 'none').
 */
function bruteForce(input: Float32Array, weights: Float32Array[], params: OcclusionParams): Float32Array[] {
  const plan = planOcclusion(SHAPE.slice(1), params);
  const m = plan.maskSize;
  const imp = importanceMap(m, plan.mode === 'gaussian');
  const factor = gaussianOcclusionFactor(m);
  const [, D, H, W] = SHAPE;
  const windows: { start: number[]; logits: number[] }[] = [];
  for (const a of plan.starts[0])
    for (const b of plan.starts[1])
      for (const c of plan.starts[2]) {
        const x = Float32Array.from(input);
        let patchMean = 0;
        for (let i = 0; i < m[0]; i++)
          for (let j = 0; j < m[1]; j++)
            for (let k = 0; k < m[2]; k++) patchMean += input[((a + i) * H + b + j) * W + c + k]!;
        patchMean /= m[0] * m[1] * m[2];
        for (let i = 0; i < m[0]; i++)
          for (let j = 0; j < m[1]; j++)
            for (let k = 0; k < m[2]; k++) {
              const v = ((a + i) * H + b + j) * W + c + k;
              const mode = plan.mode;
              x[v] =
                mode === 'gaussian'
                  ? x[v]! * factor[(i * m[1] + j) * m[2] + k]!
                  : mode === 'mean_patch'
                    ? patchMean
                    : (mode as number);
            }
        windows.push({
          start: [a, b, c],
          logits: weights.map((w) => w.reduce((s, wv, v) => s + wv * x[v]!, 0)),
        });
      }
  return weights.map((_, cls) => {
    const map = new Float32Array(N);
    for (let i = 0; i < D; i++)
      for (let j = 0; j < H; j++)
        for (let k = 0; k < W; k++) {
          let sum = 0;
          let wsum = 0;
          for (const w of windows) {
            const [a, b, c] = w.start as [number, number, number];
            if (i < a || i >= a + m[0] || j < b || j >= b + m[1] || k < c || k >= c + m[2]) continue;
            const weight = imp[((i - a) * m[1] + j - b) * m[2] + k - c]!;
            sum += weight * w.logits[cls]!;
            wsum += weight;
          }
          map[(i * H + j) * W + k] = sum / wsum;
        }
    return map;
  });
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));

describe('occlusionSensitivity on a linear classifier (exact maps by brute force)', () => {
  const input = seeded(N, 1);
  const weights = [seeded(N, 2), seeded(N, 3)];
  it.each<[string, OcclusionParams]>([
    ['gaussian, overlap 0.25', { maskSize: 4, overlap: 0.25, mode: 'gaussian' }],
    ['gaussian, anisotropic mask, overlap 0.6', { maskSize: [3, 4, 5], overlap: 0.6, mode: 'gaussian' }],
    ['value 0, overlap 0', { maskSize: 3, overlap: 0, mode: 0 }],
    ['value 0.5, overlap 0.5', { maskSize: 2, overlap: 0.5, mode: 0.5 }],
    ['mean_patch', { maskSize: 3, overlap: 0.5, mode: 'mean_patch' }],
  ])('%s', async (_name, params) => {
    const classifier = linearClassifier(SHAPE, weights);
    const result = await occlusionSensitivity(classifier, input, {
      ...params,
      nBatch: 7,
      activation: 'none',
    });
    const expected = bruteForce(input, weights, params);
    expect(result.shape).toEqual([2, 6, 7, 8]);
    expect(maxDiff(result.maps.subarray(0, N), expected[0]!)).toBeLessThan(1e-4);
    expect(maxDiff(result.maps.subarray(N), expected[1]!)).toBeLessThan(1e-4);
    // One baseline call, then batches of at most 7.
    expect(classifier.calls[0]).toBe(1);
    expect(classifier.calls.slice(1).every((n) => n <= 7)).toBe(true);
    expect(classifier.calls.slice(1).reduce((a, b) => a + b, 0)).toBe(result.plan.windows);
  });

  it('by hand: a 1x1x4 input, sum classifier, mask 2 replaced by 0, no overlap', async () => {
    const classifier = linearClassifier([1, 1, 1, 4], [new Float32Array(4).fill(1)]);
    const x = Float32Array.from([1, 2, 3, 4]);
    const result = await occlusionSensitivity(classifier, x, {
      maskSize: [1, 1, 2],
      overlap: 0,
      mode: 0,
      activation: 'none',
    });
    // Windows [0, 2) and [2, 4): sums 10 - 3 = 7 and 10 - 7 = 3.
    expect(Array.from(result.maps)).toEqual([7, 7, 3, 3]);
    expect(Array.from(result.baseline)).toEqual([10]);
    expect(Array.from(occlusionImportance(result))).toEqual([3, 3, 7, 7]);
  });

  it('mean_patch replaces the window with its mean (sum unchanged), unlike MONAI, which multiplies by it', async () => {
    const classifier = linearClassifier([1, 1, 1, 4], [new Float32Array(4).fill(1)]);
    const result = await occlusionSensitivity(classifier, Float32Array.from([1, 2, 3, 4]), {
      maskSize: [1, 1, 2],
      mode: 'mean_patch',
      activation: 'none',
    });
    // MONAI 1.3.2 would give 10 - 3 + 1.5 * 3 = 11.5 for the first window.
    expect(Array.from(result.maps)).toEqual([10, 10, 10, 10]);
  });

  it('mean_img replaces the window with the mean of the whole input', async () => {
    const classifier = linearClassifier([1, 1, 1, 4], [new Float32Array(4).fill(1)]);
    const result = await occlusionSensitivity(classifier, Float32Array.from([1, 2, 3, 6]), {
      maskSize: [1, 1, 2],
      overlap: 0,
      mode: 'mean_img',
      activation: 'none',
    });
    expect(Array.from(result.maps)).toEqual([12 - 3 + 6, 12 - 3 + 6, 12 - 9 + 6, 12 - 9 + 6]);
  });
});

describe('occlusionSensitivity activations', () => {
  it.each<[string, readonly [number, number, number, number], 'softmax' | 'monai' | 'sigmoid', number[]]>([
    ['softmax (default) on 1 channel', [1, 4, 4, 4], 'softmax', [0.8807971, 0.1192029]],
    ["'monai' on 1 channel: per-class sigmoid", [1, 4, 4, 4], 'monai', [0.8807971, 0.5]],
    ["'monai' on 2 channels: softmax", [2, 4, 4, 4], 'monai', [0.8807971, 0.1192029]],
    ['sigmoid', [2, 4, 4, 4], 'sigmoid', [0.8807971, 0.5]],
  ])('%s', async (_name, shape, activation, expected) => {
    const result = await occlusionSensitivity(
      constantClassifier(shape, [2, 0]),
      new Float32Array(shape.reduce((a, b) => a * b)),
      {
        maskSize: 2,
        activation,
      },
    );
    const n = 64;
    expect(result.maps[0]).toBeCloseTo(expected[0]!, 6);
    expect(result.maps[n + 63]).toBeCloseTo(expected[1]!, 6);
    expect(Array.from(result.mostProbable).every((c) => c === 0)).toBe(true);
  });
});

describe('occlusionSensitivity with a b_box', () => {
  const input = seeded(N, 4);
  const weights = [seeded(N, 5), seeded(N, 6)];

  it('computes the map over the grown region, reports the box and keeps the baseline outside it', async () => {
    const params: OcclusionParams = { maskSize: 3, overlap: 0.25, mode: 0, bBox: [2, 3, 1, 5, -1, -1] };
    const result = await occlusionSensitivity(linearClassifier(SHAPE, weights), input, {
      ...params,
      activation: 'softmax',
    });
    expect(result.plan.box).toEqual({ start: [2, 1, 0], end: [3, 5, 8] });
    expect(result.plan.searchRegion).toEqual({ start: [1, 0, 0], end: [4, 6, 8] });
    const cropped = cropToBox(result);
    expect(cropped.shape).toEqual([2, 1, 4, 8]);
    // Outside the box: the baseline, so the importance view is exactly 0 there.
    const importance = occlusionImportance(result, 0);
    expect(importance[0]).toBe(0);
    expect(result.maps[0]).toBe(result.baseline[0]);
    // Inside: a weighted mean of softmax outputs, so the classes still sum to 1.
    for (let v = 0; v < cropped.data.length / 2; v++)
      expect(cropped.data[v]! + cropped.data[v + cropped.data.length / 2]!).toBeCloseTo(1, 5);
    expect(Array.from(importance).some((v) => v !== 0)).toBe(true);
  });

  it('equals brute force inside the box (activation none), with the mask clipped to the region', async () => {
    const params: OcclusionParams = {
      maskSize: [3, 3, 5],
      overlap: 0.5,
      mode: 'gaussian',
      bBox: [2, 4, -1, -1, 3, 4],
    };
    const result = await occlusionSensitivity(linearClassifier(SHAPE, weights), input, {
      ...params,
      activation: 'none',
    });
    const plan = result.plan;
    expect(plan.searchRegion).toEqual({ start: [1, 0, 1], end: [5, 7, 6] });
    expect(plan.maskSize).toEqual([3, 3, 5]);
    const expected = bruteForce(input, weights, params);
    const [, , H, W] = SHAPE;
    for (let c = 0; c < 2; c++)
      for (let i = 2; i < 4; i++)
        for (let j = 0; j < H; j++) {
          const v = (i * H + j) * W + 3;
          expect(result.maps[c * N + v]).toBeCloseTo(expected[c]![v]!, 4);
        }
    expect(result.maps[0]).toBe(result.baseline[0]);
  });
});

describe('occlusionSensitivity control', () => {
  const shape = [1, 8, 8, 8] as const;
  const input = seeded(512, 7);

  it('reports progress after every batch', async () => {
    const seen: [number, number][] = [];
    await occlusionSensitivity(constantClassifier(shape, [0, 1]), input, {
      maskSize: 4,
      overlap: 0.5,
      nBatch: 10,
      onProgress: (p) => seen.push([p.done, p.total]),
    });
    expect(seen).toEqual([
      [10, 27],
      [20, 27],
      [27, 27],
    ]);
  });

  it('stops between batches with CANCELLED when aborted', async () => {
    const controller = new AbortController();
    const classifier = linearClassifier(shape, [seeded(512, 8)]);
    const run = occlusionSensitivity(classifier, input, {
      maskSize: 4,
      overlap: 0.5,
      nBatch: 5,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(classifier.calls).toEqual([1, 5]);
  });

  it('runs a pluggable engine and disposes it', async () => {
    let batches = 0;
    let disposed = false;
    const counting: OcclusionEngineFactory = async (classifier, x, maxBatch) => {
      const inner = await plainOcclusionEngine(classifier, x, maxBatch);
      return {
        logits: (o) => {
          batches++;
          return inner.logits(o);
        },
        dispose: () => {
          disposed = true;
          return inner.dispose();
        },
      };
    };
    const weights = [seeded(512, 9)];
    const plain = await occlusionSensitivity(linearClassifier(shape, weights), input, {
      maskSize: 4,
      nBatch: 4,
    });
    const custom = await occlusionSensitivity(linearClassifier(shape, weights), input, {
      maskSize: 4,
      nBatch: 4,
      engine: counting,
    });
    expect(batches).toBe(Math.ceil(plain.plan.windows / 4));
    expect(disposed).toBe(true);
    expect(Array.from(custom.maps)).toEqual(Array.from(plain.maps));
  });

  it.each([
    ['a wrong input length', new Float32Array(10), 'SHAPE_MISMATCH'],
    ['a NaN voxel', Float32Array.from({ length: 512 }, (_, i) => (i === 3 ? NaN : 0)), 'BAD_VALUES'],
  ])('rejects %s', async (_name, x, code) => {
    const error: unknown = await occlusionSensitivity(constantClassifier(shape, [0, 1]), x, {
      maskSize: 4,
    }).catch((e: unknown) => e);
    expect(isVoxlabError(error) && error.code).toBe(code);
  });
});
