// Grad-CAM and Grad-CAM++ against MONAI 1.3.2's GradCAM / GradCAMpp on the tiny MONAI DenseNet of
// shared/reference/monai (reference made by testing/monai/make_gradcam_reference.py with Debian's
// PyTorch 1.13): the layer maps and the upsampled map (before our min-max scaling) must agree.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSafetensors } from '../model/safetensors.js';
import { referenceBytes, useBackend } from '../model/testing/backends.js';
import { createDenseNet, type TfModel } from '../model/tfModel.js';
import { loadStateDict } from '../model/weights.js';
import { gradCam } from './gradCam.js';

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
      const result = gradCam(model, input, { method, classIndex });
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
    },
  );
});
