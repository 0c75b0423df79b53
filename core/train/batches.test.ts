import { describe, expect, it } from 'vitest';
import type { Tensor } from '../transforms/tensor.js';
import { augmentVolume, chunk, epochOrder, packBatch, streamSeed, trainingBatches } from './batches.js';

const ramp = (n: number, offset = 0): Tensor => ({
  shape: [1, n, n, n],
  data: Float32Array.from({ length: n ** 3 }, (_, i) => i + offset),
});

describe('packBatch', () => {
  it('lays volumes out as NDHWC [batch, D, H, W, 1]: value(b, d, h, w) at ((b*D + d)*H + h)*W + w', () => {
    const { data, shape } = packBatch([ramp(3), ramp(3, 1000)]);
    expect(shape).toEqual([2, 3, 3, 3, 1]);
    const at = (b: number, d: number, h: number, w: number) => data[((b * 3 + d) * 3 + h) * 3 + w];
    expect(at(0, 2, 1, 0)).toBe(2 * 9 + 3);
    expect(at(1, 0, 2, 1)).toBe(1000 + 7);
  });

  it('refuses mixed shapes and several channels', () => {
    expect(() => packBatch([ramp(3), ramp(2)])).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }));
    expect(() => packBatch([{ shape: [2, 1, 1, 1], data: new Float32Array(2) }])).toThrow(/1 channel/);
  });
});

describe('seeded order and augmentation', () => {
  it('shuffles each epoch differently, the same way every time', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    expect(epochOrder(items, 1, 3)).toEqual(epochOrder(items, 1, 3));
    expect(epochOrder(items, 1, 3)).not.toEqual(epochOrder(items, 1, 4));
    expect([...epochOrder(items, 1, 3)].sort((a, b) => a - b)).toEqual(items);
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('derives independent stream seeds from (seed, purpose, epoch, sample)', () => {
    const seeds = new Set([
      streamSeed(0, 'shuffle', 1),
      streamSeed(0, 'augment', 1),
      streamSeed(0, 'augment', 2),
      streamSeed(0, 'augment', 1, 1),
      streamSeed(1, 'augment', 1),
      streamSeed(2 ** 32, 'augment', 1),
    ]);
    expect(seeds.size).toBe(6);
  });

  it('augments per (epoch, position) reproducibly, and returns the input itself when off', () => {
    const t = ramp(4);
    const augment = {
      rotate90: { prob: 0.5, maxK: 3, spatialAxes: [0, 1] as const },
      flip: { prob: 0.5, spatialAxis: null },
    };
    const outs = Array.from({ length: 16 }, (_, p) => augmentVolume(t, augment, 9, 1, p));
    expect(outs.map((o) => o.data)).toEqual(
      Array.from({ length: 16 }, (_, p) => augmentVolume(t, augment, 9, 1, p).data),
    );
    const changed = outs.filter((o) => o.data.some((v, i) => v !== t.data[i])).length;
    expect(changed).toBeGreaterThan(4); // P(unchanged) = 0.25 per position
    expect(changed).toBeLessThan(16);
    expect(t.data[1]).toBe(1); // the cached input is never modified
    expect(augmentVolume(t, { rotate90: null, flip: null }, 9, 1, 0)).toBe(t);
  });
});

describe('trainingBatches', () => {
  it.each([
    [5, 2, [2, 3]], // a lone last volume joins the batch before it
    [4, 2, [2, 2]],
    [7, 3, [3, 4]],
    [1, 2, [1]], // nothing to join: a single batch of one stays
    [6, 4, [4, 2]],
  ])('%i volumes in batches of %i -> sizes %j', (n, size, sizes) => {
    const items = Array.from({ length: n }, (_, i) => i);
    const batches = trainingBatches(items, size);
    expect(batches.map((b) => b.length)).toEqual(sizes);
    expect(batches.flat()).toEqual(items); // order kept, nothing lost
  });
});
