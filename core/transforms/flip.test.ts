import { describe, expect, it } from 'vitest';
import { flip } from './flip.js';
import { expectVoxlabError, tensorOf, toNested } from './testUtils.js';

const img = tensorOf([
  [
    [1, 2, 3],
    [4, 5, 6],
  ],
]); // [C = 1, H = 2, W = 3]

describe('flip', () => {
  it.each<[string, number | number[] | null, unknown]>([
    [
      'spatial axis 0',
      0,
      [
        [
          [4, 5, 6],
          [1, 2, 3],
        ],
      ],
    ],
    [
      'spatial axis 1',
      1,
      [
        [
          [3, 2, 1],
          [6, 5, 4],
        ],
      ],
    ],
    [
      'spatial axis -1 (the last)',
      -1,
      [
        [
          [3, 2, 1],
          [6, 5, 4],
        ],
      ],
    ],
    [
      'both axes',
      [0, 1],
      [
        [
          [6, 5, 4],
          [3, 2, 1],
        ],
      ],
    ],
    [
      'every spatial axis (null, MONAI default)',
      null,
      [
        [
          [6, 5, 4],
          [3, 2, 1],
        ],
      ],
    ],
  ])('flips %s like numpy.flip', (_name, spatialAxis, expected) => {
    expect(toNested(flip(img, { spatialAxis }))).toEqual(expected);
  });

  it('never flips the channel axis', () => {
    const twoChannels = tensorOf([[[1, 2]], [[3, 4]]]); // [2, 1, 2]
    expect(toNested(flip(twoChannels))).toEqual([[[2, 1]], [[4, 3]]]);
  });

  it.each([
    [2, /spatial axis must be an integer in \[-2, 1\].*got 2/],
    [-3, /got -3/],
    [0.5, /got 0.5/],
    [[0, -2], /spatial axes repeat/],
  ])('rejects axis %j', (spatialAxis, pattern) => {
    expectVoxlabError(() => flip(img, { spatialAxis }), 'BAD_ARGUMENT', /flip/, pattern);
  });
});
