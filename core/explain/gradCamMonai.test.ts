// Grad-CAM and Grad-CAM++ against MONAI 1.3.2's GradCAM / GradCAMpp on the tiny MONAI DenseNet of
// shared/reference/monai (reference made by testing/monai/make_gradcam_reference.py with Debian's
// PyTorch 1.13): the layer maps and the upsampled map (before our min-max scaling) must agree, for the
// model loaded from its safetensors weights and for the one rebuilt from MONAI's own ONNX export of it
// (BatchNorms folded into convolutions), which must also agree with each other.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedModel } from '../infer/resolveModel.js';
import { withInputShape } from '../infer/testing/onnxInputShape.js';
import { parseSafetensors } from '../model/safetensors.js';
import { referenceBytes, useBackend } from '../model/testing/backends.js';
import { createDenseNet, type TfModel } from '../model/tfModel.js';
import { loadStateDict } from '../model/weights.js';
import { gradCam, type GradCamResult } from './gradCam.js';
import { gradCamNetwork } from './gradCamNetwork.js';
import { tfModelFromState } from './tfModelFromState.js';

interface Reference {
  size: number;
  logits: number[];
  maps: {
    method: 'gradcam' | 'gradcam++';
    class: number;
    layer: number[];
    upsampled_min: number;
    upsampled_max: number;
    upsampled_every251: number[];
  }[];
}
const reference = JSON.parse(
  readFileSync(new URL('./testing/monai/gradcam.json', import.meta.url), 'utf8'),
) as Reference;
const N = reference.size;
/** MONAI's GradCAM target layer for its DenseNet: the reference maps were made there (our default differs). */
const MONAI_LAYER = 'class_layers.relu';

/** make_gradcam_reference.py's volume(): 0.5 + 0.5 sin(0.21 i + 0.13 j - 0.17 k) cos(0.05 (i + 2 j + 3 k)). */
function volume(): Float32Array {
  const x = new Float32Array(N ** 3);
  let v = 0;
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++)
      for (let k = 0; k < N; k++)
        x[v++] = 0.5 + 0.5 * Math.sin(0.21 * i + 0.13 * j - 0.17 * k) * Math.cos(0.05 * (i + 2 * j + 3 * k));
  return x;
}

type MapReference = Reference['maps'][number];

/** `result` against MONAI's: logits, layer map (within 1e-5 of its largest value), upsampled range, every 251st voxel. */
function expectMonaiMap(result: GradCamResult, ref: MapReference): void {
  result.logits.forEach((v, k) => expect(v).toBeCloseTo(reference.logits[k]!, 4));
  const scale = Math.max(...ref.layer, 1e-3);
  expect(result.layerMap.shape).toEqual([2, 2, 2]);
  ref.layer.forEach((v, i) => expect(Math.abs(result.layerMap.data[i]! - v) / scale).toBeLessThan(1e-5));
  expect(result.range.min).toBeCloseTo(ref.upsampled_min, 4);
  expect(result.range.max).toBeCloseTo(ref.upsampled_max, 4);
  // Our map is MONAI's upsampled map min-max scaled to [0, 1] (not flipped).
  const span = ref.upsampled_max - ref.upsampled_min;
  ref.upsampled_every251.forEach((v, i) => {
    const expected = span > 0 ? (v - ref.upsampled_min) / span : 0;
    expect(Math.abs(result.map[i * 251]! - expected)).toBeLessThan(1e-5);
  });
}

describe('gradCam equals MONAI 1.3.2 on the tiny MONAI DenseNet (cpu backend, 64^3)', () => {
  let model: TfModel;
  const input = volume();
  beforeAll(async () => {
    await useBackend('cpu');
    model = createDenseNet(
      { initFeatures: 8, growthRate: 4, blockConfig: [2, 2, 2, 2], bnSize: 2 },
      { inputSize: [N, N, N] },
    );
    loadStateDict(model, parseSafetensors(referenceBytes('densenet_tiny.safetensors')));
  });
  afterAll(() => model.dispose());

  it.each(reference.maps.map((m) => [m.method, m.class, m] as const))(
    '%s, class %i',
    (method, classIndex, ref) => {
      expectMonaiMap(gradCam(model, input, { method, classIndex, layer: MONAI_LAYER }), ref);
    },
  );
});

describe("gradCam on MONAI's ONNX export of the same DenseNet: MONAI's maps, and the safetensors model's", () => {
  let fromOnnx: TfModel;
  let fromWeights: TfModel;
  let reason = '';
  const input = volume();
  beforeAll(async () => {
    await useBackend('cpu');
    // MONAI's file fixes its input at 32^3; re-declared symbolic, it is read at the 64^3 the reference used.
    const onnx = withInputShape(referenceBytes('densenet_tiny.onnx'), [
      'batch',
      1,
      'depth',
      'height',
      'width',
    ]);
    const model: ResolvedModel = {
      kind: 'onnx',
      id: 'densenet_tiny.onnx',
      source: '/nowhere/densenet_tiny.onnx',
      weights: null,
      classes: ['class0', 'class1'],
      inputSize: [N, N, N],
      onnx,
      network: null,
    };
    const network = gradCamNetwork(model);
    reason = network.reason;
    fromOnnx = tfModelFromState(network.description, network.state);
    fromWeights = createDenseNet(
      { initFeatures: 8, growthRate: 4, blockConfig: [2, 2, 2, 2], bnSize: 2 },
      { inputSize: [N, N, N] },
    );
    loadStateDict(fromWeights, parseSafetensors(referenceBytes('densenet_tiny.safetensors')));
  });
  afterAll(() => {
    fromOnnx.dispose();
    fromWeights.dispose();
  });

  it('reads the weights from the initializers, 9 BatchNorms folded, at 64^3', () => {
    expect(reason).toMatch(/initializers, 9 BatchNorms folded into convolutions/);
    expect(fromOnnx.description.input.shape).toEqual([1, N, N, N]);
  });

  it.each(reference.maps.map((m) => [m.method, m.class, m] as const))(
    '%s, class %i',
    (method, classIndex, ref) => {
      const onnx = gradCam(fromOnnx, input, { method, classIndex, layer: MONAI_LAYER });
      expectMonaiMap(onnx, ref);
      // The same weights as safetensors: measured differences 0 (logits), <= 3e-8 (layer map), <= 1e-6 (map).
      const weights = gradCam(fromWeights, input, { method, classIndex, layer: MONAI_LAYER });
      const maxDiff = (a: Float32Array, b: Float32Array) =>
        a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
      expect(maxDiff(onnx.logits, weights.logits)).toBeLessThan(1e-4);
      expect(maxDiff(onnx.layerMap.data, weights.layerMap.data)).toBeLessThan(1e-4);
      expect(maxDiff(onnx.map, weights.map)).toBeLessThan(1e-4);
    },
  );
});
