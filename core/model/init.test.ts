import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../common/random.js';
import { describeDenseNet } from './densenet.js';
import { stateEntries } from './graph.js';
import { initialValues } from './init.js';
import { permute, permuteShape, tfToTorchPerm, torchToTfPerm } from './layout.js';

const entries = new Map(stateEntries(describeDenseNet()).map((e) => [e.key, e]));

function stats(values: Float32Array): { mean: number; std: number; maxAbs: number } {
  let sum = 0;
  let sq = 0;
  let maxAbs = 0;
  for (const v of values) {
    sum += v;
    sq += v * v;
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  const mean = sum / values.length;
  return { mean, std: Math.sqrt(sq / values.length - mean * mean), maxAbs };
}

describe('initialValues (DenseNet121)', () => {
  it.each([
    ['features.conv0.weight', 1 * 343],
    ['features.denseblock1.denselayer1.layers.conv1.weight', 64],
    ['features.denseblock3.denselayer24.layers.conv2.weight', 128 * 27],
    ['features.transition2.conv.weight', 512],
  ])('draws %s Kaiming-normal: mean 0, std sqrt(2 / fan_in = %i)', (key, fanIn) => {
    const s = stats(initialValues(entries.get(key)!, new SeededRandom(1)));
    const std = Math.sqrt(2 / fanIn);
    expect(Math.abs(s.std / std - 1)).toBeLessThan(0.03);
    expect(Math.abs(s.mean)).toBeLessThan(0.05 * std);
    expect(s.maxAbs).toBeGreaterThan(3 * std); // a normal, not a clipped or uniform draw
  });

  it('draws the Linear weight uniformly in +-1/sqrt(1024) and sets constants', () => {
    const w = stats(initialValues(entries.get('class_layers.out.weight')!, new SeededRandom(1)));
    expect(w.maxAbs).toBeLessThanOrEqual(1 / 32);
    expect(Math.abs(w.std / (1 / 32 / Math.sqrt(3)) - 1)).toBeLessThan(0.05);
    expect(Array.from(initialValues(entries.get('class_layers.out.bias')!, new SeededRandom(1)))).toEqual([
      0, 0,
    ]);
    expect(
      initialValues(entries.get('features.norm5.weight')!, new SeededRandom(1)).every((v) => v === 1),
    ).toBe(true);
    expect(
      Array.from(initialValues(entries.get('features.norm5.num_batches_tracked')!, new SeededRandom(1))),
    ).toEqual([0]);
  });

  it('repeats for a seed and differs between seeds', () => {
    const e = entries.get('features.denseblock1.denselayer1.layers.conv1.weight')!;
    expect(initialValues(e, new SeededRandom(3))).toEqual(initialValues(e, new SeededRandom(3)));
    expect(initialValues(e, new SeededRandom(3))).not.toEqual(initialValues(e, new SeededRandom(4)));
  });
});

describe('layout', () => {
  it('moves a PyTorch conv weight [out, in, kd, kh, kw] to tfjs [kd, kh, kw, in, out] and back', () => {
    const shape = [2, 3, 2, 1, 3];
    const torch = Float32Array.from({ length: 36 }, (_, i) => i);
    const tf = permute(torch, shape, torchToTfPerm(5));
    expect(permuteShape(shape, torchToTfPerm(5))).toEqual([2, 1, 3, 3, 2]);
    // tf[kd][kh][kw][i][o] = torch[o][i][kd][kh][kw]: kd=1, kh=0, kw=2, i=1, o=1
    const torchIndex = (((1 * 3 + 1) * 2 + 1) * 1 + 0) * 3 + 2;
    const tfIndex = (((1 * 1 + 0) * 3 + 2) * 3 + 1) * 2 + 1;
    expect(tf[tfIndex]).toBe(torchIndex);
    expect(permute(tf, [2, 1, 3, 3, 2], tfToTorchPerm(5))).toEqual(torch);
  });

  it('transposes Linear [out, in] to [in, out] and leaves vectors alone', () => {
    expect(Array.from(permute(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3], torchToTfPerm(2)))).toEqual([
      1, 4, 2, 5, 3, 6,
    ]);
    expect(torchToTfPerm(1)).toBeUndefined();
    expect(() => permute(new Float32Array(5), [2, 3], [1, 0])).toThrow(/5 values do not fill shape \[2, 3\]/);
  });
});
