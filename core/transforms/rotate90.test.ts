import { describe, expect, it } from 'vitest';
import { rotate90 } from './rotate90.js';
import { expectVoxlabError, tensorOf, toNested } from './testUtils.js';

const plane = [
  [1, 2, 3],
  [4, 5, 6],
];

describe('rotate90', () => {
  // Expected: numpy.rot90(plane, k), printed by numpy 2.4.
  it.each([
    [
      1,
      [
        [3, 6],
        [2, 5],
        [1, 4],
      ],
    ],
    [
      2,
      [
        [6, 5, 4],
        [3, 2, 1],
      ],
    ],
    [
      3,
      [
        [4, 1],
        [5, 2],
        [6, 3],
      ],
    ],
    [4, plane],
    [
      -1,
      [
        [4, 1],
        [5, 2],
        [6, 3],
      ],
    ],
    [
      5,
      [
        [3, 6],
        [2, 5],
        [1, 4],
      ],
    ],
  ])('k = %i matches numpy.rot90 of a 2x3 plane', (k, expected) => {
    expect(toNested(rotate90(tensorOf([plane]), { k }))).toEqual([expected]);
  });

  it('rotates from the second axis to the first when the axes are swapped (numpy.rot90(m, 1, (1, 0)))', () => {
    expect(toNested(rotate90(tensorOf([plane]), { spatialAxes: [1, 0] }))).toEqual([
      [
        [4, 1],
        [5, 2],
        [6, 3],
      ],
    ]);
  });

  it('rotates a 3D volume in the plane of spatial axes 0 and 2, each channel alike', () => {
    // [C = 2, D = 2, H = 1, W = 3]; numpy.rot90(x, 1, axes=(1, 3)) -> shape [2, 3, 1, 2].
    const t = tensorOf([plane.map((r) => [r]), plane.map((r) => [r.map((v) => v * 10)])]);
    const out = rotate90(t, { spatialAxes: [0, 2] });
    expect(out.shape).toEqual([2, 3, 1, 2]);
    expect(toNested(out)).toEqual([
      [[[3, 6]], [[2, 5]], [[1, 4]]],
      [[[30, 60]], [[20, 50]], [[10, 40]]],
    ]);
  });

  it.each<[string, () => unknown, RegExp]>([
    ['a 1-D image', () => rotate90(tensorOf([[1, 2]])), /rotate90: expected a tensor of rank 3\.\./],
    ['equal axes', () => rotate90(tensorOf([plane]), { spatialAxes: [1, 1] }), /spatial axes repeat/],
    ['an axis out of range', () => rotate90(tensorOf([plane]), { spatialAxes: [0, 2] }), /got 2/],
    ['a fractional k', () => rotate90(tensorOf([plane]), { k: 1.5 }), /k must be an integer, got 1.5/],
  ])('rejects %s', (_name, call, pattern) => {
    expectVoxlabError(call, 'BAD_ARGUMENT', pattern);
  });
});
