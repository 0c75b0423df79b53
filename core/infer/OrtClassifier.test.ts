// Opening ONNX models as classifiers: what is not a volume classifier is refused in words (MODEL_INVALID),
// and a classifier checks its batches and its own lifetime.

import { afterAll, describe, expect, it } from 'vitest';
import { OnnxGraph } from './onnx/OnnxGraph.js';
import { openOrtClassifier, type OrtClassifier } from './OrtClassifier.js';

/** input(s) -> Add (if two) -> GlobalAveragePool -> Flatten -> output [batch, channels]. */
function pooledModel(inputShapes: (number | string)[][], outputs = 1): Uint8Array {
  const g = new OnnxGraph();
  const xs = inputShapes.map((s, i) => g.input(`x${i}`, s));
  const x = xs.length > 1 ? g.add(xs[0]!, xs[1]!) : xs[0]!;
  const y = g.flatten(g.globalAveragePool(x), 1, 'y');
  g.output(y, ['batch', inputShapes[0]![1] as number]);
  if (outputs > 1) g.output(g.relu(y, 'y2'), ['batch', inputShapes[0]![1] as number]);
  return g.toBytes({ metadata: { 'voxlab.classes': '["left","right"]' } });
}

const opened: OrtClassifier[] = [];
afterAll(async () => {
  for (const c of opened) await c.dispose();
});

describe('openOrtClassifier', () => {
  it.each([
    ['garbage bytes', Uint8Array.of(1, 2, 3, 4, 5, 6, 7), /ONNX Runtime cannot load the model/],
    ['a 4-D input', pooledModel([['batch', 2, 8, 8]]), /float32 \[N, C, D, H, W\]/],
    [
      'two inputs',
      pooledModel([
        ['batch', 2, 4, 4, 4],
        ['batch', 2, 4, 4, 4],
      ]),
      /takes 2 inputs \(x0, x1\)/,
    ],
    ['two outputs', pooledModel([['batch', 2, 4, 4, 4]], 2), /gives one float32 output \[N, classes\]/],
    [
      'a symbolic size without --input-size',
      pooledModel([['batch', 2, 'd', 'h', 'w']]),
      /give the input size/,
    ],
  ])('refuses %s as MODEL_INVALID', async (_, bytes, message) => {
    const error = await openOrtClassifier(bytes, { provider: 'cpu' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MODEL_INVALID' });
    expect((error as Error).message).toMatch(message);
  });

  it('reads classes from metadata, takes a size for symbolic dims, splits big batches, checks lengths', async () => {
    const c = await openOrtClassifier(pooledModel([['batch', 2, 'd', 'h', 'w']]), {
      provider: 'cpu',
      inputSize: [2, 3, 4],
      maxBatch: 2,
    });
    opened.push(c);
    expect(c.classes).toEqual(['left', 'right']);
    expect(c.inputShape).toEqual([2, 2, 3, 4]);
    expect(c.engine).toMatch(/^onnxruntime-cpu \(\d+ threads\)$/);
    // Sample s has channel 0 = s and channel 1 = -s everywhere: the pooled logits are [s, -s].
    const per = 2 * 2 * 3 * 4;
    const batch = Float32Array.from(
      { length: 5 * per },
      (_, i) => (i % per < per / 2 ? 1 : -1) * Math.floor(i / per),
    );
    expect([...(await c.predict(batch, 5))].map((v) => v + 0)).toEqual([0, 0, 1, -1, 2, -2, 3, -3, 4, -4]);
    await expect(c.predict(batch, 4)).rejects.toMatchObject({ code: 'BAD_VALUES' });
  });

  it('refuses class names that do not match the outputs, and predictions after dispose', async () => {
    await expect(
      openOrtClassifier(pooledModel([['batch', 2, 4, 4, 4]]), { provider: 'cpu', classes: ['a', 'b', 'c'] }),
    ).rejects.toMatchObject({ code: 'MODEL_INVALID' });
    const c = await openOrtClassifier(pooledModel([['batch', 2, 4, 4, 4]]), { provider: 'cpu' });
    await c.dispose();
    await c.dispose();
    await expect(c.predict(new Float32Array(128), 1)).rejects.toThrow(/disposed/);
  });
});
