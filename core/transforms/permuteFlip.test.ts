import { describe, expect, it } from 'vitest';
import { permuteFlip } from './permuteFlip.js';
import { expectVoxlabError, tensorOf, toNested } from './testUtils.js';

const m23 = tensorOf([
  [1, 2, 3],
  [4, 5, 6],
]);

describe('permuteFlip', () => {
  it.each([
    [
      'identity',
      [0, 1],
      [false, false],
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ],
    [
      'transpose',
      [1, 0],
      [false, false],
      [
        [1, 4],
        [2, 5],
        [3, 6],
      ],
    ],
    [
      'flip rows',
      [0, 1],
      [true, false],
      [
        [4, 5, 6],
        [1, 2, 3],
      ],
    ],
    [
      'flip columns',
      [0, 1],
      [false, true],
      [
        [3, 2, 1],
        [6, 5, 4],
      ],
    ],
    [
      'transpose, flip output axis 0',
      [1, 0],
      [true, false],
      [
        [3, 6],
        [2, 5],
        [1, 4],
      ],
    ],
  ])('%s of a 2x3 matrix', (_name, perm, flips, expected) => {
    expect(toNested(permuteFlip(m23, perm, flips))).toEqual(expected);
  });

  it('moves axes of a 3D array like numpy.transpose', () => {
    const t = tensorOf([
      [
        [0, 1, 2],
        [3, 4, 5],
      ],
    ]); // shape [1, 2, 3]
    const out = permuteFlip(t, [2, 0, 1], [false, false, true]);
    expect(out.shape).toEqual([3, 1, 2]);
    expect(toNested(out)).toEqual([[[3, 0]], [[4, 1]], [[5, 2]]]);
  });

  it('rejects a non-permutation', () => {
    expectVoxlabError(
      () => permuteFlip(m23, [0, 0], [false, false]),
      'BAD_ARGUMENT',
      /permuteFlip: perm must be a permutation/,
    );
  });
});
