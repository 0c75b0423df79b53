// The network Grad-CAM rebuilds: MONAI's own ONNX export of the tiny DenseNet (BatchNorms folded into
// convolutions) as the file is, at 32^3, keeps MONAI's layer names and computes the safetensors model's
// activations right after folded BatchNorms and its Grad-CAM at an inner layer; a model given by its weights
// passes through; an ONNX graph that is not a recognised DenseNet is refused in words.

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedModel } from '../infer/resolveModel.js';
import { initialStateDict } from '../infer/stateDict.js';
import { onnxModel, withInputShape } from '../infer/testing/onnxInputShape.js';
import { smallCnnOnnx } from '../infer/testing/smallCnnOnnx.js';
import { describeDenseNet } from '../model/index.js';
import { parseSafetensors } from '../model/safetensors.js';
import { referenceBytes, referenceFloat32, useBackend } from '../model/testing/backends.js';
import { createDenseNet, type TfModel } from '../model/tfModel.js';
import { loadStateDict } from '../model/weights.js';
import { gradCam } from './gradCam.js';
import { gradCamNetwork } from './gradCamNetwork.js';
import { sampleToNdhwc } from './tfClassifier.js';
import { tfModelFromState } from './tfModelFromState.js';

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe("gradCamNetwork on MONAI's ONNX DenseNet (cpu backend, 32^3 as the file declares)", () => {
  let fromOnnx: TfModel;
  let fromWeights: TfModel;
  const input = referenceFloat32('input_32.f32');
  beforeAll(async () => {
    await useBackend('cpu');
    const network = gradCamNetwork(onnxModel(referenceBytes('densenet_tiny.onnx'), [32, 32, 32]));
    fromOnnx = tfModelFromState(network.description, network.state);
    fromWeights = createDenseNet(
      { initFeatures: 8, growthRate: 4, blockConfig: [2, 2, 2, 2], bnSize: 2 },
      { inputSize: [32, 32, 32] },
    );
    loadStateDict(fromWeights, parseSafetensors(referenceBytes('densenet_tiny.safetensors')));
  });
  afterAll(() => {
    fromOnnx.dispose();
    fromWeights.dispose();
  });

  // relu0 follows norm0, relu2 follows norm2: both BatchNorms were folded into the conv before them.
  it.each(['features.relu0', 'features.denseblock1.denselayer1.layers.relu2', 'class_layers.relu'])(
    "computes the safetensors model's activation at %s",
    (layer) => {
      const [a, b] = tf.tidy(() => {
        const x = sampleToNdhwc(input, [1, 32, 32, 32]);
        const at = (m: TfModel) => m.forwardTo(x, layer).dataSync() as Float32Array;
        return [at(fromOnnx), at(fromWeights)];
      });
      const scale = b.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(scale).toBeGreaterThan(1e-3);
      expect(maxDiff(a, b) / scale).toBeLessThan(1e-5);
    },
  );

  // At 32^3 class_layers.relu is 1^3 (a constant map); transition1's pool is 4^3, after block 1's folds.
  it.each(['gradcam', 'gradcam++'] as const)(
    "gives the safetensors model's %s at features.transition1.pool",
    (method) => {
      const options = { method, classIndex: 1, layer: 'features.transition1.pool' };
      const a = gradCam(fromOnnx, input, options);
      const b = gradCam(fromWeights, input, options);
      expect(a.layerMap.shape).toEqual([4, 4, 4]);
      expect(b.range.max - b.range.min).toBeGreaterThan(1e-4);
      expect(maxDiff(a.logits, b.logits)).toBeLessThan(1e-4);
      expect(maxDiff(a.layerMap.data, b.layerMap.data) / b.range.max).toBeLessThan(1e-4);
      expect(maxDiff(a.map, b.map)).toBeLessThan(1e-4);
    },
  );
});

describe('gradCamNetwork', () => {
  it('passes the network of a model given by its weights through', () => {
    const description = describeDenseNet(
      { initFeatures: 8, growthRate: 4, blockConfig: [2, 2], bnSize: 2 },
      [32, 32, 32],
    );
    const state = initialStateDict(description, 0);
    const model: ResolvedModel = {
      ...onnxModel(new Uint8Array(0), [32, 32, 32]),
      kind: 'safetensors',
      network: { description, state },
    };
    const network = gradCamNetwork(model);
    expect(network.description).toBe(description);
    expect(network.state).toBe(state);
    expect(network.reason).toMatch(/DenseNet given by its weights \(safetensors\)/);
  });

  it.each([
    [
      'a CNN that is not a DenseNet',
      smallCnnOnnx(),
      [32, 32, 32],
      /features.conv0's weight is \[4, 1, 3, 3, 3\], not a 7\^3 kernel/,
    ],
    [
      'a DenseNet whose input size is symbolic and not given',
      withInputShape(referenceBytes('densenet_tiny.onnx'), ['batch', 1, 'd', 'h', 'w']),
      null,
      /input size is symbolic and none was given \(--input-size\)/,
    ],
  ] as const)('refuses %s in words, naming occlusion as what still works', (_, onnx, size, why) => {
    const model = onnxModel(onnx, size === null ? null : [...size]);
    let error: unknown;
    try {
      gradCamNetwork(model, 'gradcam++');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: 'BAD_ARGUMENT',
      details: { model: 'model.onnx', method: 'gradcam++' },
      message: expect.stringMatching(
        /^gradcam\+\+ needs gradients.*MONAI DenseNet ONNX file voxlab recognises.*\.safetensors file or a training run\. Model "model\.onnx" is not one: the ONNX graph is not a MONAI DenseNet: .*Occlusion \(--method occlusion\) works on any ONNX model\.$/,
      ),
    });
    expect((error as Error).message).toMatch(why);
  });
});
