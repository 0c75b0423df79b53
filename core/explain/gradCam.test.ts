import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../common/random.js';
import { useBackend } from '../model/testing/backends.js';
import { createDenseNet, type TfModel } from '../model/tfModel.js';
import { gradCam } from './gradCam.js';
import { sampleToNdhwc } from './tfClassifier.js';

const TINY = { initFeatures: 4, growthRate: 2, blockConfig: [1, 1], bnSize: 2 };
const SIZE = 16;

function seeded(n: number, seed: number): Float32Array {
  const r = new SeededRandom(seed);
  return Float32Array.from({ length: n }, () => r.uniform(0, 1));
}

/** The activation of `layer` (NDHWC, channels fastest) and the logits' gradient w.r.t. it by central differences. */
function finiteDifference(
  model: TfModel,
  input: Float32Array,
  layer: string,
  k: number,
): { acti: Float32Array; grad: Float64Array; channels: number } {
  const x = sampleToNdhwc(input, [1, SIZE, SIZE, SIZE]);
  const a = model.forwardTo(x, layer);
  const acti = a.dataSync() as Float32Array;
  const logit = (values: Float32Array) =>
    tf.tidy(() => model.forwardFrom(tf.tensor(values, a.shape), layer).dataSync()[k]!);
  const eps = 1e-2;
  const grad = new Float64Array(acti.length);
  for (let i = 0; i < acti.length; i++) {
    const plus = Float32Array.from(acti);
    const minus = Float32Array.from(acti);
    plus[i]! += eps;
    minus[i]! -= eps;
    grad[i] = (logit(plus) - logit(minus)) / (2 * eps);
  }
  const channels = a.shape[4]!;
  tf.dispose([x, a]);
  return { acti, grad, channels };
}

/** relu(sum_c w_c A_c) with w_c = spatial mean of the gradient, straight from the definition. */
function camByHand(acti: Float32Array, grad: Float64Array, channels: number): number[] {
  const voxels = acti.length / channels;
  const w = Array.from({ length: channels }, (_, c) => {
    let s = 0;
    for (let v = 0; v < voxels; v++) s += grad[v * channels + c]!;
    return s / voxels;
  });
  return Array.from({ length: voxels }, (_, v) =>
    Math.max(
      0,
      w.reduce((s, wc, c) => s + wc * acti[v * channels + c]!, 0),
    ),
  );
}

/** LayerCAM straight from Jiang et al. 2021: relu(sum_c relu(g_c(v)) A_c(v)) at each voxel v. */
function layerCamByHand(acti: Float32Array, grad: Float64Array, channels: number): number[] {
  return Array.from({ length: acti.length / channels }, (_, v) => {
    let s = 0;
    for (let c = 0; c < channels; c++) s += Math.max(0, grad[v * channels + c]!) * acti[v * channels + c]!;
    return Math.max(0, s);
  });
}

/** Trilinear upsampling with align_corners=False along one axis of a C-order volume, written out plainly. */
function upsample(data: number[], from: number[], to: number[]): number[] {
  const src = (o: number, n: number, m: number) => Math.max(0, ((o + 0.5) * n) / m - 0.5);
  const out: number[] = [];
  for (let i = 0; i < to[0]!; i++)
    for (let j = 0; j < to[1]!; j++)
      for (let k = 0; k < to[2]!; k++) {
        const s = [src(i, from[0]!, to[0]!), src(j, from[1]!, to[1]!), src(k, from[2]!, to[2]!)];
        let v = 0;
        for (let corner = 0; corner < 8; corner++) {
          let weight = 1;
          const idx = s.map((sd, d) => {
            const lo = Math.min(Math.floor(sd), from[d]! - 1);
            const hi = Math.min(lo + 1, from[d]! - 1);
            const t = sd - lo;
            const upper = (corner >> (2 - d)) & 1;
            weight *= upper ? t : 1 - t;
            return upper ? hi : lo;
          });
          v += weight * data[(idx[0]! * from[1]! + idx[1]!) * from[2]! + idx[2]!]!;
        }
        out.push(v);
      }
  return out;
}

describe('gradCam (tiny DenseNet, cpu backend)', () => {
  let model: TfModel;
  const input = seeded(SIZE ** 3, 11);
  beforeAll(async () => {
    await useBackend('cpu');
    model = createDenseNet(TINY, { inputSize: [SIZE, SIZE, SIZE], seed: 9 });
  });
  afterAll(() => model.dispose());

  it.each(['class_layers.relu', 'features.transition1.pool'])(
    'equals the finite-difference computation at %s',
    (layer) => {
      for (const k of [0, 1]) {
        const result = gradCam(model, input, { layer, classIndex: k });
        const { acti, grad, channels } = finiteDifference(model, input, layer, k);
        const expected = camByHand(acti, grad, channels);
        expect(result.layerMap.shape).toEqual([2, 2, 2]);
        const scale = Math.max(...expected, 1e-6);
        expected.forEach((v, i) => expect(Math.abs(result.layerMap.data[i]! - v) / scale).toBeLessThan(2e-3));
      }
    },
  );

  it('LayerCAM equals the finite-difference computation (per-voxel positive gradients) at features.transition1.relu', () => {
    const layer = 'features.transition1.relu';
    for (const k of [0, 1]) {
      const result = gradCam(model, input, { method: 'layercam', layer, classIndex: k });
      const { acti, grad, channels } = finiteDifference(model, input, layer, k);
      const expected = layerCamByHand(acti, grad, channels);
      expect(result.layerMap.shape).toEqual([4, 4, 4]);
      const scale = Math.max(...expected, 1e-6);
      expected.forEach((v, i) => expect(Math.abs(result.layerMap.data[i]! - v) / scale).toBeLessThan(2e-3));
      // Not Grad-CAM's map: the weights differ voxel by voxel.
      const cam = camByHand(acti, grad, channels);
      expect(cam.some((v, i) => Math.abs(v / Math.max(...cam, 1e-6) - expected[i]! / scale) > 0.05)).toBe(true);
    }
  });

  it('upsamples trilinearly (align_corners false) to the input size and scales to [0, 1], high = important', () => {
    const result = gradCam(model, input, { layer: 'class_layers.relu' });
    expect(result.shape).toEqual([SIZE, SIZE, SIZE]);
    expect(result.map.length).toBe(SIZE ** 3);
    const up = upsample(Array.from(result.layerMap.data), [2, 2, 2], [SIZE, SIZE, SIZE]);
    const min = Math.min(...up);
    const max = Math.max(...up);
    expect(result.range.min).toBeCloseTo(min, 6);
    expect(result.range.max).toBeCloseTo(max, 6);
    up.forEach((v, i) => expect(result.map[i]).toBeCloseTo((v - min) / (max - min), 5));
    // The hottest layer voxel's corner of the volume is the hottest part of the map.
    const hot = result.layerMap.data.indexOf(Math.max(...result.layerMap.data));
    const corner = [hot >> 2, (hot >> 1) & 1, hot & 1].map((b) => (b ? SIZE - 1 : 0));
    expect(result.map[(corner[0]! * SIZE + corner[1]!) * SIZE + corner[2]!]).toBe(1);
  });

  it('explains the argmax class by default', () => {
    const result = gradCam(model, input);
    expect(result.classIndex).toBe(result.logits[0]! >= result.logits[1]! ? 0 : 1);
  });

  it("Grad-CAM++ follows MONAI's alpha formula (gradient at class_layers.relu = W[c, k] / 8)", () => {
    const k = 1;
    const result = gradCam(model, input, { method: 'gradcam++', classIndex: k, layer: 'class_layers.relu' });
    const x = sampleToNdhwc(input, [1, SIZE, SIZE, SIZE]);
    const a = model.forwardTo(x, 'class_layers.relu');
    const acti = a.dataSync();
    const channels = a.shape[4]!;
    const W = model.variable('class_layers.out.weight').dataSync();
    const score = result.logits[k]!;
    const voxels = acti.length / channels;
    const weights = Array.from({ length: channels }, (_, c) => {
      const g = W[c * 2 + k]! / voxels;
      let sumAg3 = 0;
      for (let v = 0; v < voxels; v++) sumAg3 += acti[v * channels + c]! * g ** 3;
      let dr = 2 * g * g + sumAg3;
      if (dr === 0) dr = 1;
      return voxels * ((g * g) / (dr + 1e-7)) * Math.max(0, Math.exp(score) * g);
    });
    const expected = Array.from({ length: voxels }, (_, v) =>
      Math.max(
        0,
        weights.reduce((s, w, c) => s + w * acti[v * channels + c]!, 0),
      ),
    );
    const scale = Math.max(...expected, 1e-12);
    expected.forEach((v, i) => expect(Math.abs(result.layerMap.data[i]! - v) / scale).toBeLessThan(1e-4));
    tf.dispose([x, a]);
  });

  it('defaults to the deepest ReLU with a 4^3 grid: features.transition1.relu (4^3), not class_layers.relu (2^3)', () => {
    const result = gradCam(model, input);
    expect(result.layer).toBe('features.transition1.relu');
    expect(result.layerMap.shape).toEqual([4, 4, 4]);
    expect(gradCam(model, input, { method: 'layercam' }).layer).toBe('features.transition1.relu');
    expect(gradCam(model, input, { layer: 'class_layers.relu' }).layerMap.shape).toEqual([2, 2, 2]);
  });

  it('rejects an unknown layer (listing the usable ones) and a bad class index', () => {
    expect(() => gradCam(model, input, { layer: 'features.nope' })).toThrow(
      expect.objectContaining({
        code: 'BAD_ARGUMENT',
        message: expect.stringMatching(
          /available: .*features\.transition1\.relu \(4x4x4\).*class_layers\.relu \(2x2x2\)/,
        ),
      }),
    );
    // A dense layer's inner ReLU cannot split the network (its concat reads the layer's input).
    expect(() => gradCam(model, input, { layer: 'features.denseblock1.denselayer1.layers.relu1' })).toThrow(
      expect.objectContaining({ code: 'BAD_ARGUMENT' }),
    );
    expect(() => gradCam(model, input, { classIndex: 2 })).toThrow(
      expect.objectContaining({ code: 'BAD_ARGUMENT' }),
    );
    expect(() => gradCam(model, new Float32Array(5))).toThrow(
      expect.objectContaining({ code: 'SHAPE_MISMATCH' }),
    );
  });

  it('leaks no tensors', () => {
    const before = tf.memory().numTensors;
    gradCam(model, input);
    gradCam(model, input, { method: 'gradcam++' });
    gradCam(model, input, { method: 'layercam' });
    expect(tf.memory().numTensors).toBe(before);
  });
});
