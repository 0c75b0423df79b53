import { describe, expect, it } from 'vitest';
import { isVoxlabError } from '../common/errors.js';
import {
  occlusionCost,
  planOcclusion,
  sliceBBox,
  windowStarts,
  type OcclusionParams,
} from './occlusionParams.js';

const range = (from: number, to: number, step: number) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

describe('windowStarts (MONAI dense_patch_slices with _get_scan_interval)', () => {
  it.each([
    [96, 16, 0.25, [...range(0, 72, 12), 80]],
    [96, 16, 0.6, [...range(0, 78, 6), 80]],
    [96, 12, 0.25, [...range(0, 81, 9), 84]],
    [11, 11, 0.25, [0]],
    [5, 2, 0, [0, 2, 3]],
    [5, 1, 0.9, [0, 1, 2, 3, 4]],
  ])('length %i, mask %i, overlap %f', (length, mask, overlap, expected) => {
    expect(windowStarts(0, length, mask, overlap)).toEqual(expected);
  });

  it('adds the offset of the search region', () => {
    expect(windowStarts(43, 11, 11, 0.25)).toEqual([43]);
  });
});

describe('occlusionCost', () => {
  it.each<[string, OcclusionParams, number]>([
    [
      'one slice, mask 12 (the tutorial figure)',
      { maskSize: 12, overlap: 0.25, bBox: [48, 49, -1, -1, -1, -1] },
      121,
    ],
    ['whole volume, mask 16, overlap 0.25', { maskSize: 16, overlap: 0.25 }, 512],
    ['whole volume, mask 16, overlap 0.6', { maskSize: 16, overlap: 0.6 }, 3375],
  ])('96^3, %s: %i windows', (_name, params, windows) => {
    const cost = occlusionCost([96, 96, 96], { nBatch: 10, ...params });
    expect(cost.windows).toBe(windows);
    expect(cost.batches).toBe(Math.ceil(windows / 10));
    expect(cost.forwardPasses).toBe(windows + 1);
  });
});

describe('planOcclusion', () => {
  it('grows a one-slice box by (mask - 1) // 2, clips it and clips the mask to it', () => {
    const plan = planOcclusion([96, 96, 96], { maskSize: 12, bBox: [48, 49, -1, -1, -1, -1] });
    expect(plan.box).toEqual({ start: [48, 0, 0], end: [49, 96, 96] });
    expect(plan.searchRegion).toEqual({ start: [43, 0, 0], end: [54, 96, 96] });
    expect(plan.maskSize).toEqual([11, 12, 12]);
    expect(plan.starts[0]).toEqual([43]);
    const edge = planOcclusion([96, 96, 96], { maskSize: 12, bBox: [0, 1, 2, 90, -1, -1] });
    expect(edge.searchRegion).toEqual({ start: [0, 0, 0], end: [6, 95, 96] });
    expect(edge.maskSize).toEqual([6, 12, 12]);
  });

  it("fills MONAI 1.3.2 defaults, softmax and mean_surround (not MONAI's gaussian, issue #16)", () => {
    const plan = planOcclusion([32, 32, 32]);
    expect(plan).toMatchObject({
      maskSize: [16, 16, 16],
      nBatch: 16,
      overlap: 0.25,
      mode: 'mean_surround',
      activation: 'softmax',
    });
    expect(plan.windows).toBe(27);
  });

  it.each<[string, OcclusionParams, RegExp]>([
    ['mask 0', { maskSize: 0 }, /maskSize/],
    ['fractional mask', { maskSize: 2.5 }, /maskSize/],
    ['mask larger than the input', { maskSize: 40 }, /larger than the input/],
    ['overlap 1', { overlap: 1 }, /overlap/],
    ['negative overlap', { overlap: -0.1 }, /overlap/],
    ['nBatch 0', { nBatch: 0 }, /nBatch/],
    ['unknown mode', { mode: 'blur' as never }, /mode/],
    ['NaN value', { mode: NaN }, /mode/],
    ['unknown activation', { activation: 'relu' as never }, /activation/],
    ['b_box of 4 values', { bBox: [0, 1, 0, 1] }, /6 integers/],
    ['b_box min >= max', { bBox: [5, 5, -1, -1, -1, -1] }, /axis 0/],
    ['b_box past the end', { bBox: [-1, -1, 0, 33, -1, -1] }, /axis 1/],
    ['b_box below -1', { bBox: [-2, 4, -1, -1, -1, -1] }, /-1/],
  ])('rejects %s with BAD_ARGUMENT', (_name, params, message) => {
    let error: unknown;
    try {
      planOcclusion([32, 32, 32], params);
    } catch (e) {
      error = e;
    }
    expect(isVoxlabError(error) && error.code).toBe('BAD_ARGUMENT');
    expect((error as Error).message).toMatch(message);
  });
});

describe('sliceBBox', () => {
  it('boxes one slice along an axis', () => {
    expect(sliceBBox(0, 48)).toEqual([48, 49, -1, -1, -1, -1]);
    expect(sliceBBox(2, 0)).toEqual([-1, -1, -1, -1, 0, 1]);
    expect(() => sliceBBox(3, 1)).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
    expect(() => planOcclusion([96, 96, 96], { bBox: sliceBBox(1, 96) })).toThrow(/axis 1/);
  });
});
