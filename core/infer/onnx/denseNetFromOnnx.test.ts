// A DenseNet is found in MONAI's own ONNX export (BatchNorms folded), in a MONAI-style export with
// non-trivial statistics, and in ours; the weights read back compute the file's logits; other graphs are
// refused with a reason.

import { afterAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../common/random.js';
import { describeDenseNet, parseSafetensors } from '../../model/index.js';
import { referenceBytes, referenceFloat32 } from '../../model/testing/backends.js';
import { exportOnnx, exportOnnxPart } from '../exportOnnx.js';
import { OrtSession } from '../ort/OrtSession.js';
import { initialStateDict, stateDictFromSafetensors, type StateDict } from '../stateDict.js';
import { exportMonaiStyleOnnx } from '../testing/monaiStyleOnnx.js';
import { denseNetFromOnnx } from './denseNetFromOnnx.js';
import { readOnnxGraph } from './readOnnxGraph.js';
import { OnnxGraph } from './OnnxGraph.js';
import { withBatchNormStats } from '../testing/batchNormStats.js';

const sessions: OrtSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.dispose();
});

async function logits(model: Uint8Array, input: Float32Array, size: number): Promise<Float32Array> {
  const session = await OrtSession.create(model, { provider: 'cpu', threads: 1 });
  sessions.push(session);
  const out = await session.run({ image: { data: input, dims: [1, 1, size, size, size] } });
  return Object.values(out)[0]!.data;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a).toHaveLength(b.length);
  return Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));
}

/** Seeded weights with BatchNorm statistics far from the initial ones, so folding changes the weights. */
function jittered(description: ReturnType<typeof describeDenseNet>, seed: number): Map<string, Float32Array> {
  return withBatchNormStats(description, seed, seed + 100, (key) => (/norm\d?\.(weight|bias)$/.test(key) ? (r) => 0.5 + 0.5 * r.next() : null));
}

const small = describeDenseNet(
  { initFeatures: 8, growthRate: 4, blockConfig: [3, 2], bnSize: 2 },
  [20, 20, 20],
);

describe('denseNetFromOnnx', () => {
  it("finds MONAI's tiny DenseNet in MONAI's own export, BatchNorms folded, and computes MONAI's logits", async () => {
    const onnx = referenceBytes('densenet_tiny.onnx');
    const found = denseNetFromOnnx(onnx);
    if (!found.found) throw new Error(found.reason);
    expect(found.description.config).toEqual({
      inChannels: 1,
      outChannels: 2,
      initFeatures: 8,
      growthRate: 4,
      blockConfig: [2, 2, 2, 2],
      bnSize: 2,
      dropoutProb: 0,
    });
    expect(found.description.input.shape).toEqual([1, 32, 32, 32]);
    // norm0 and every dense layer's norm2 follow a conv: torch folded 1 + 8 of them.
    expect(found.foldedBatchNorms).toBe(9);
    // Unfolded weights are MONAI's state_dict values exactly.
    const monai = stateDictFromSafetensors(
      parseSafetensors(referenceBytes('densenet_tiny.safetensors')),
      found.description,
    );
    for (const key of [
      'features.denseblock3.denselayer2.layers.conv2.weight',
      'features.transition2.norm.running_var',
      'class_layers.out.weight',
    ])
      expect(found.state.get(key)).toEqual(monai.get(key));
    const input = referenceFloat32('input_32.f32');
    const ours = await logits(exportOnnx(found.description, found.state), input, 32);
    expect(maxAbsDiff(ours, await logits(onnx, input, 32))).toBeLessThan(1e-6);
    expect(maxAbsDiff(ours, Float32Array.of(-0.16278867423534393, 0.03440219908952713))).toBeLessThan(1e-5);
  });

  it.each([
    ['a MONAI-style export (folded, Identity weights, Pad + AveragePool)', exportMonaiStyleOnnx, 6],
    ['our export', exportOnnx, 0],
  ] as const)(
    'reads %s of a net with non-trivial BatchNorms back to the same logits',
    async (_, write, folded) => {
      const state = jittered(small, 5);
      const file = write(small, state);
      const found = denseNetFromOnnx(file);
      if (!found.found) throw new Error(found.reason);
      expect(found.foldedBatchNorms).toBe(folded);
      expect(found.description.config).toMatchObject({
        initFeatures: 8,
        growthRate: 4,
        blockConfig: [3, 2],
        bnSize: 2,
      });
      if (folded === 0) for (const [key, v] of state) expect(found.state.get(key), key).toEqual(v);
      const r = new SeededRandom(9);
      const input = Float32Array.from({ length: 20 ** 3 }, () => r.next());
      const want = await logits(exportOnnx(small, state), input, 20);
      expect(
        maxAbsDiff(await logits(exportOnnx(found.description, found.state), input, 20), want),
      ).toBeLessThan(1e-5);
      expect(maxAbsDiff(await logits(file, input, 20), want)).toBeLessThan(1e-5);
    },
  );

  it('takes the input size from the caller when the file leaves it symbolic, and says so when none is given', () => {
    const graph = readOnnxGraph(exportOnnx(small, initialStateDict(small, 2)));
    const symbolic = { ...graph, inputs: [{ ...graph.inputs[0]!, shape: ['batch', 1, 'd', 'h', 'w'] }] };
    const found = denseNetFromOnnx(symbolic, [24, 24, 24]);
    expect(found.found && found.description.input.shape).toEqual([1, 24, 24, 24]);
    expect(denseNetFromOnnx(symbolic)).toMatchObject({
      found: false,
      reason: expect.stringMatching(/symbolic/),
    });
  });

  const state: StateDict = initialStateDict(small, 1);
  const convNet = () => {
    const g = new OnnxGraph();
    const x = g.input('image', ['batch', 1, 20, 20, 20]);
    const w = g.floatConstant('w', [4, 1, 3, 3, 3], new Float32Array(108));
    const y = g.globalAveragePool(g.relu(g.conv(x, w, { kernel: [3, 3, 3], pads: [1, 1, 1, 1, 1, 1] })));
    const fc = g.floatConstant('fc', [2, 4], new Float32Array(8));
    g.output(g.gemm(g.flatten(y), fc, null, { transB: true }, 'logits'), ['batch', 2]);
    return g.toBytes();
  };
  const twoInputs = () => {
    const g = new OnnxGraph();
    g.output(
      g.mul(g.input('image', ['batch', 1, 20, 20, 20]), g.input('mask', ['batch', 1, 20, 20, 20])),
      null,
    );
    return g.toBytes();
  };
  it.each([
    ['not ONNX', () => Uint8Array.of(1, 2, 3), /protocol buffers|no graph/],
    ['a small CNN', convNet, /features.conv0's weight is \[4, 1, 3, 3, 3\], not a 7\^3 kernel/],
    ['a graph of two inputs', twoInputs, /2 inputs/],
    [
      'a DenseNet cut after block 1',
      () =>
        exportOnnxPart(small, state, {
          inputs: ['input'],
          outputs: ['features.denseblock1.denselayer3.cat'],
        }),
      /read by 0 nodes/,
    ],
  ] as const)('refuses %s with the reason', (_, bytes, reason) => {
    const found = denseNetFromOnnx(bytes());
    expect(found.found).toBe(false);
    if (!found.found) expect(found.reason).toMatch(reason);
  });
});
