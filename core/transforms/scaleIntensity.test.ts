import { describe, expect, it } from 'vitest';
import { scaleIntensity, type ScaleIntensityOptions } from './scaleIntensity.js';
import { expectVoxlabError, tensorOf, toNested } from './testUtils.js';

describe('scaleIntensity', () => {
  it.each<[string, number[][], ScaleIntensityOptions, number[][]]>([
    [
      'to [0, 1] by default',
      [
        [1, 2],
        [3, 5],
      ],
      {},
      [
        [0, 0.25],
        [0.5, 1],
      ],
    ],
    [
      'to [-1, 1]',
      [
        [1, 2],
        [3, 5],
      ],
      { minv: -1, maxv: 1 },
      [
        [-1, -0.5],
        [0, 1],
      ],
    ],
    [
      'with maxv null: only normalised',
      [
        [1, 2],
        [3, 5],
      ],
      { minv: 4, maxv: null },
      [
        [0, 0.25],
        [0.5, 1],
      ],
    ],
    ['a constant image: v * minv (MONAI rescale_array)', [[3, 3]], {}, [[0, 0]]],
    ['a constant image with minv 2: v * 2, not 2', [[3, 3]], { minv: 2, maxv: 5 }, [[6, 6]]],
    ['a constant image with minv null: unchanged', [[3, 3]], { minv: null, maxv: 1 }, [[3, 3]]],
    ['factor when minv and maxv are null', [[1, -2]], { minv: null, maxv: null, factor: 0.5 }, [[1.5, -3]]],
    ['neither range nor factor: unchanged', [[1, -2]], { minv: null, maxv: null }, [[1, -2]]],
    [
      'per channel',
      [
        [0, 10],
        [5, 7],
      ],
      { channelWise: true },
      [
        [0, 1],
        [0, 1],
      ],
    ],
    [
      'over the whole array',
      [
        [0, 10],
        [5, 7],
      ],
      {},
      [
        [0, 1],
        [0.5, 0.7],
      ],
    ],
  ])('%s', (_name, input, options, expected) => {
    const out = toNested(scaleIntensity(tensorOf(input), options)) as number[][];
    out.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, 6)));
  });

  it('returns a new array and leaves the input alone', () => {
    const t = tensorOf([2, 4]);
    const out = scaleIntensity(t);
    expect([...t.data]).toEqual([2, 4]);
    expect(out.data).not.toBe(t.data);
  });

  it.each([NaN, Infinity, -Infinity])('refuses data holding %d with BAD_VALUES', (bad) => {
    expectVoxlabError(
      () => scaleIntensity(tensorOf([1, bad, 3])),
      'BAD_VALUES',
      /scaleIntensity/,
      /NaN or infinite/,
    );
  });

  it('rejects non-finite options and malformed tensors', () => {
    expectVoxlabError(
      () => scaleIntensity(tensorOf([1, 2]), { maxv: NaN }),
      'BAD_ARGUMENT',
      /scaleIntensity: maxv must be a finite number or null, got NaN/,
    );
    expectVoxlabError(
      () => scaleIntensity({ shape: [3], data: new Float32Array(2) }),
      'BAD_ARGUMENT',
      /scaleIntensity.*needs 3/,
    );
  });
});
