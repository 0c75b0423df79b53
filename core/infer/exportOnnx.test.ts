// Our ONNX export computes the network tfjs computes: MONAI's tiny DenseNet gives reference.json's logits
// in ONNX Runtime, and random 'small'-like networks at odd sizes (floor in every pooling) agree with tfjs.
// Pieces of the network chained together give the whole network's logits.

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../common/random.js';
import {
  createDenseNet,
  describeDenseNet,
  parseSafetensors,
  type DenseNetConfig,
  type ModelDescription,
} from '../model/index.js';
import { referenceBytes, referenceFloat32, useBackend } from '../model/testing/backends.js';
import { exportOnnx, exportOnnxPart } from './exportOnnx.js';
import { readOnnxSummary } from './onnx/readOnnx.js';
import { openOrtClassifier } from './OrtClassifier.js';
import { OrtSession } from './ort/OrtSession.js';
import { initialStateDict, stateDictFromSafetensors, type StateDict } from './stateDict.js';

const TINY = { initFeatures: 8, growthRate: 4, blockConfig: [2, 2, 2, 2], bnSize: 2 };
const SMALL = { initFeatures: 16, growthRate: 8, blockConfig: [2, 4, 6, 4], bnSize: 4 };
const reference = JSON.parse(new TextDecoder().decode(referenceBytes('reference.json'))) as {
  densenet_tiny: { logits: number[][] };
};
const input32 = referenceFloat32('input_32.f32');

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));

/** Weights with random BatchNorm statistics too, so every parameter's place in the graph matters. */
function randomStateDict(description: ModelDescription, seed: number): StateDict {
  const state = new Map(initialStateDict(description, seed));
  const r = new SeededRandom(seed + 1);
  for (const [key, values] of state) {
    if (key.endsWith('running_var')) values.forEach((_, i) => (values[i] = r.uniform(0.5, 2)));
    else if (/(norm\d?|norm)\.(weight|bias|running_mean)$/.test(key))
      values.forEach((_, i) => (values[i] = r.uniform(-0.5, 1)));
  }
  return state;
}

/** tfjs logits [n, classes] for NCDHW `x` (one channel, so NDHWC holds the same memory). */
function tfjsLogits(
  config: Partial<DenseNetConfig>,
  size: number[],
  state: StateDict,
  x: Float32Array,
  n: number,
): Float32Array {
  const model = createDenseNet(config, { inputSize: size });
  try {
    for (const [key, values] of state) model.writeTorch(key, values);
    return tf.tidy(
      () => model.forward(tf.tensor5d(x, [n, size[0]!, size[1]!, size[2]!, 1])).dataSync() as Float32Array,
    );
  } finally {
    model.dispose();
  }
}

const sessions: { dispose(): Promise<void> }[] = [];
beforeAll(() => useBackend('cpu'));
afterAll(async () => {
  for (const s of sessions) await s.dispose();
});

describe('exportOnnx', () => {
  const description = describeDenseNet(TINY, [32, 32, 32]);
  const state = stateDictFromSafetensors(
    parseSafetensors(referenceBytes('densenet_tiny.safetensors')),
    description,
  );

  it("MONAI's own tiny ONNX export reproduces reference.json within 1e-5", async () => {
    const monai = await openOrtClassifier(referenceBytes('densenet_tiny.onnx'), { provider: 'cpu' });
    sessions.push(monai);
    expect(monai.inputShape).toEqual([1, 32, 32, 32]);
    expect(monai.classes).toEqual(['class0', 'class1']);
    const logits = await monai.predict(input32, 1);
    expect(maxDiff(logits, reference.densenet_tiny.logits[0]!)).toBeLessThan(1e-5);
  });

  it('tiny safetensors -> our ONNX -> ONNX Runtime equals reference.json and tfjs within 1e-4', async () => {
    const bytes = exportOnnx(description, state, { classes: ['female', 'male'] });
    const summary = readOnnxSummary(bytes);
    expect(summary.metadata).toMatchObject({
      'voxlab.classes': '["female","male"]',
      'voxlab.input_size': '[32,32,32]',
    });
    expect(summary.inputs).toEqual([{ name: 'image', elemType: 1, shape: ['batch', 1, 32, 32, 32] }]);
    expect(summary.outputs).toEqual([{ name: 'logits', elemType: 1, shape: ['batch', 2] }]);
    const ours = await openOrtClassifier(bytes, { provider: 'cpu' });
    sessions.push(ours);
    expect(ours.classes).toEqual(['female', 'male']);
    const logits = await ours.predict(input32, 1);
    const tfjs = tfjsLogits(TINY, [32, 32, 32], state, input32, 1);
    expect(maxDiff(logits, reference.densenet_tiny.logits[0]!)).toBeLessThan(1e-4);
    expect(maxDiff(logits, tfjs)).toBeLessThan(1e-4);
  });

  it.each([
    ['small-like at [33, 29, 31]', SMALL, [33, 29, 31], 2],
    [
      'tiny with 3 classes and dropout at [20, 24, 17]',
      { ...TINY, blockConfig: [1, 2], outChannels: 3, dropoutProb: 0.2 },
      [20, 24, 17],
      3,
    ],
  ] as const)('random %s: ONNX Runtime equals tfjs within 1e-4 on a batch', async (_, config, size, n) => {
    const d = describeDenseNet(config, size);
    const weights = randomStateDict(d, 7);
    const r = new SeededRandom(3);
    const count = n * size[0] * size[1] * size[2];
    const x = Float32Array.from({ length: count }, () => r.uniform(0, 1));
    const classifier = await openOrtClassifier(exportOnnx(d, weights), { provider: 'cpu', maxBatch: 2 });
    sessions.push(classifier);
    const logits = await classifier.predict(x, n);
    const tfjs = tfjsLogits(config, [...size], weights, x, n);
    expect(logits.length).toBe(n * d.nodes.at(-1)!.outputShape[0]!);
    expect(Math.max(...logits.map(Math.abs))).toBeGreaterThan(1e-2); // not a degenerate all-zero match
    expect(maxDiff(logits, tfjs)).toBeLessThan(1e-4);
  });

  it('pieces (input -> end of denseblock1, transition1 input -> logits) chain to the whole network', async () => {
    const cut = 'features.denseblock1.denselayer2.cat';
    const head = await OrtSession.create(
      exportOnnxPart(description, state, { inputs: ['input'], outputs: [cut] }),
      { provider: 'cpu' },
    );
    const tail = await OrtSession.create(
      exportOnnxPart(description, state, { inputs: [cut], outputs: ['logits'], dynamicSpatial: true }),
      { provider: 'cpu' },
    );
    sessions.push(head, tail);
    expect(head.inputs.map((i) => i.name)).toEqual(['image']);
    expect(tail.inputs[0]!.shape).toEqual(['batch', 16, `${cut}.d`, `${cut}.h`, `${cut}.w`]);
    const mid = await head.run({ image: { data: input32, dims: [1, 1, 32, 32, 32] } });
    expect(mid[cut]!.dims).toEqual([1, 16, 8, 8, 8]);
    const out = await tail.run({ [cut]: mid[cut]! });
    expect(maxDiff(out.logits!.data, reference.densenet_tiny.logits[0]!)).toBeLessThan(1e-4);
  });

  it.each([
    [
      { inputs: ['features.transition1.pool'], outputs: ['features.denseblock1.denselayer1.cat'] },
      /need the network input/,
    ],
    [{ inputs: ['input'], outputs: ['features.nope'] }, /has no value features.nope/],
  ])('refuses a piece that cannot be computed: %j', (spec, message) => {
    expect(() => exportOnnxPart(description, state, spec)).toThrow(message);
  });

  it('refuses weights that do not fit (WEIGHTS_MISMATCH)', () => {
    const wrong = describeDenseNet({ ...TINY, growthRate: 6 }, [32, 32, 32]);
    const file = parseSafetensors(referenceBytes('densenet_tiny.safetensors'));
    expect(() => stateDictFromSafetensors(file, wrong)).toThrow(
      expect.objectContaining({ code: 'WEIGHTS_MISMATCH' }),
    );
  });
});
