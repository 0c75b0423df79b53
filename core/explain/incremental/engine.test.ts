import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../common/random.js';
import { exportOnnx } from '../../infer/exportOnnx.js';
import { describeDenseNet } from '../../model/index.js';
import type { Classifier } from '../../infer/classifier.js';
import { writePatch, type Occlusion } from '../occlusionEngine.js';
import { incrementalOcclusionEngine } from './ortPieces.js';
import { withBatchNormStats } from '../../infer/testing/batchNormStats.js';

const SIZE = 32;
const description = describeDenseNet({ initFeatures: 8, growthRate: 4, blockConfig: [3, 2], bnSize: 2 }, [
  SIZE,
  SIZE,
  SIZE,
]);

/** Seeded weights with non-trivial BatchNorm statistics, so the crops' BN is exercised. */
function weights(): Map<string, Float32Array> {
  return withBatchNormStats(description, 7, 3, (key) => (/norm\d?\.bias$/.test(key) ? (r) => 0.3 * (r.next() - 0.5) : null));
}

const state = weights();
const sessions: ort.InferenceSession[] = [];
afterAll(async () => Promise.all(sessions.map((s) => s.release())));

async function fullLogits(batch: Float32Array, n: number): Promise<Float32Array> {
  if (sessions.length === 0)
    sessions.push(
      await ort.InferenceSession.create(exportOnnx(description, state), { intraOpNumThreads: 1 }),
    );
  const out = await sessions[0]!.run({ image: new ort.Tensor('float32', batch, [n, 1, SIZE, SIZE, SIZE]) });
  return out.logits!.data as Float32Array;
}

/** The occluded copies of `input`, packed as one batch. */
function occludedBatch(input: Float32Array, occlusions: readonly Occlusion[]): Float32Array {
  const batch = new Float32Array(occlusions.length * input.length);
  occlusions.forEach((o, i) => {
    const v = batch.subarray(i * input.length, (i + 1) * input.length);
    v.set(input);
    writePatch(v, [1, SIZE, SIZE, SIZE], o);
  });
  return batch;
}

const classifier: Classifier = {
  inputShape: [1, SIZE, SIZE, SIZE],
  classes: ['a', 'b'],
  engine: 'test',
  predict: fullLogits,
  dispose: () => Promise.resolve(),
};

describe('incremental occlusion engine', () => {
  it.each(['width', 'batch'] as const)(
    'gives the logits of the whole network on the occluded inputs, windows anywhere (%s packing)',
    async (packing) => {
      const r = new SeededRandom(11);
      const input = Float32Array.from({ length: SIZE ** 3 }, () => r.next());
      const sizes: [number, number, number][] = [
        [6, 6, 6],
        [6, 6, 6],
        [6, 6, 6],
        [6, 6, 6],
        [1, 6, 6],
      ];
      const starts: [number, number, number][] = [
        [0, 0, 0],
        [26, 26, 26],
        [13, 0, 26],
        [9, 17, 4],
        [16, 3, 20],
      ];
      const occlusions: Occlusion[] = starts.map((start, i) => ({
        start,
        size: sizes[i]!,
        patch: Float32Array.from({ length: sizes[i]!.reduce((a, b) => a * b, 1) }, () => 2 * r.next()),
      }));
      const engine = await incrementalOcclusionEngine(description, state, { threads: 1, packing })(
        classifier,
        input,
        occlusions.length,
      );
      const got = await engine.logits(occlusions);
      const want = await fullLogits(occludedBatch(input, occlusions), occlusions.length);
      const unoccluded = await fullLogits(input, 1);
      expect(got).toHaveLength(want.length);
      let maxDiff = 0;
      for (let i = 0; i < want.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i]! - want[i]!));
      expect(maxDiff).toBeLessThan(1e-5);
      // The occlusions change the logits (the comparison is not vacuous).
      const moved = Math.max(...Array.from(want, (v, i) => Math.abs(v - unoccluded[i % 2]!)));
      expect(moved).toBeGreaterThan(1e-3);
      // A second, smaller batch elsewhere: the kept buffer must be back to the baseline where the first wrote.
      const again = occlusions
        .slice(2)
        .map((o) => ({ ...o, start: [o.start[2], o.start[0], o.start[1]] as [number, number, number] }));
      const got2 = await engine.logits(again);
      const want2 = await fullLogits(occludedBatch(input, again), again.length);
      for (let i = 0; i < want2.length; i++) expect(Math.abs(got2[i]! - want2[i]!)).toBeLessThan(1e-5);
      await engine.dispose();
      await engine.dispose();
      await expect(engine.logits(occlusions)).rejects.toThrow(/dispose/);
    },
  );

  it('refuses a classifier whose input size differs from the description', async () => {
    const other = { ...classifier, inputShape: [1, 16, 16, 16] as const };
    await expect(
      incrementalOcclusionEngine(description, state)(other, new Float32Array(16 ** 3), 1),
    ).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' });
  });
});
