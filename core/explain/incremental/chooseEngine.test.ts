// The engine a model gets: MONAI's ONNX export of the tiny DenseNet runs incrementally, with weights read
// from the file, and gives the plain engine's map; ONNX graphs that are not such a DenseNet keep the plain
// engine and say why.

import { afterAll, describe, expect, it } from 'vitest';
import { openOrtClassifier, type OrtClassifier } from '../../infer/OrtClassifier.js';
import type { ResolvedModel } from '../../infer/resolveModel.js';
import { initialStateDict } from '../../infer/stateDict.js';
import { onnxModel } from '../../infer/testing/onnxInputShape.js';
import { smallCnnOnnx } from '../../infer/testing/smallCnnOnnx.js';
import { describeDenseNet } from '../../model/index.js';
import { referenceBytes, referenceFloat32 } from '../../model/testing/backends.js';
import { occlusionSensitivity } from '../occlusionSensitivity.js';
import { chooseOcclusionEngine } from './chooseEngine.js';

const classifiers: OrtClassifier[] = [];
afterAll(async () => {
  for (const c of classifiers) await c.dispose();
});

describe('chooseOcclusionEngine', () => {
  it("runs MONAI's ONNX DenseNet incrementally, weights from its initializers, with the plain engine's map", async () => {
    const model = onnxModel(referenceBytes('densenet_tiny.onnx'), [32, 32, 32]);
    const choice = chooseOcclusionEngine(model, 'auto', { threads: 1 });
    expect(choice.name).toBe('incremental');
    expect(choice.reason).toMatch(/MONAI DenseNet.*initializers.*9 BatchNorms folded/);
    expect(choice.engine).toBeDefined();
    const classifier = await openOrtClassifier(model.onnx, { provider: 'cpu', threads: 1 });
    classifiers.push(classifier);
    const input = referenceFloat32('input_32.f32');
    // A slab of 4 axial slices, mask 6, MONAI's defaults otherwise: windows reach every part of the stem
    // and of block 1, the volume's edges included.
    const params = { maskSize: 6, nBatch: 7, bBox: [14, 18, -1, -1, -1, -1], activation: 'softmax' } as const;
    const fast = await occlusionSensitivity(classifier, input, { ...params, engine: choice.engine! });
    const plain = await occlusionSensitivity(classifier, input, params);
    expect(fast.plan.windows).toBe(plain.plan.windows);
    expect(fast.plan.windows).toBeGreaterThan(50);
    let diff = 0;
    let spread = 0;
    for (let i = 0; i < plain.maps.length; i++) {
      diff = Math.max(diff, Math.abs(fast.maps[i]! - plain.maps[i]!));
      spread = Math.max(
        spread,
        Math.abs(plain.maps[i]! - plain.baseline[i < plain.maps.length / 2 ? 0 : 1]!),
      );
    }
    expect(diff).toBeLessThan(1e-5);
    // The occlusions move the map (the comparison is not vacuous).
    expect(spread).toBeGreaterThan(1e-4);
  });

  it('takes the DenseNet of a model given by its weights', () => {
    const description = describeDenseNet(
      { initFeatures: 8, growthRate: 4, blockConfig: [2, 2], bnSize: 2 },
      [32, 32, 32],
    );
    const model: ResolvedModel = {
      ...onnxModel(new Uint8Array(0), [32, 32, 32]),
      kind: 'safetensors',
      network: { description, state: initialStateDict(description, 0) },
    };
    expect(chooseOcclusionEngine(model)).toMatchObject({
      name: 'incremental',
      reason: expect.stringMatching(/weights \(safetensors\)/),
    });
    expect(chooseOcclusionEngine(model, 'plain')).toMatchObject({
      name: 'plain',
      reason: 'asked for',
      engine: undefined,
    });
  });

  it('keeps the plain engine for an ONNX graph that is not a DenseNet, and says why', () => {
    const model = onnxModel(smallCnnOnnx(), [32, 32, 32]);
    const choice = chooseOcclusionEngine(model);
    expect(choice.name).toBe('plain');
    expect(choice.engine).toBeUndefined();
    expect(choice.reason).toMatch(
      /not a MONAI DenseNet.*features.conv0's weight is \[4, 1, 3, 3, 3\], not a 7\^3 kernel/,
    );
    expect(() => chooseOcclusionEngine(model, 'incremental')).toThrow(
      expect.objectContaining({
        code: 'BAD_ARGUMENT',
        message: expect.stringMatching(/cannot run this model: the ONNX graph/),
      }),
    );
  });
});
