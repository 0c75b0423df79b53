import { describe, expect, it } from 'vitest';
import { ensureChannelFirst } from './ensureChannelFirst.js';
import { expectVoxlabError, tensorOf, toNested } from './testUtils.js';

describe('ensureChannelFirst', () => {
  it('adds a size-1 channel axis by default (no_channel)', () => {
    const t = tensorOf([
      [1, 2],
      [3, 4],
    ]);
    const out = ensureChannelFirst(t);
    expect(out.shape).toEqual([1, 2, 2]);
    expect([...out.data]).toEqual([1, 2, 3, 4]);
    expect(out.data).not.toBe(t.data);
  });

  it.each([
    [
      -1,
      [
        [
          [1, 3],
          [5, 7],
        ],
        [
          [2, 4],
          [6, 8],
        ],
      ],
    ],
    [
      2,
      [
        [
          [1, 3],
          [5, 7],
        ],
        [
          [2, 4],
          [6, 8],
        ],
      ],
    ],
    [
      0,
      [
        [
          [1, 2],
          [3, 4],
        ],
        [
          [5, 6],
          [7, 8],
        ],
      ],
    ],
  ])('moves channelDim %i to the front like numpy.moveaxis', (channelDim, expected) => {
    const channelsLast = tensorOf([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ]); // [H=2, W=2, C=2]
    expect(toNested(ensureChannelFirst(channelsLast, { channelDim }))).toEqual(expected);
  });

  it('rejects a channelDim outside the axes', () => {
    expectVoxlabError(
      () => ensureChannelFirst(tensorOf([1, 2]), { channelDim: 1 }),
      'BAD_ARGUMENT',
      /ensureChannelFirst: channelDim.*\[-1, 0\], got 1/,
    );
  });
});
