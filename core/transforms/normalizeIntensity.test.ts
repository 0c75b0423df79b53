import { describe, expect, it } from 'vitest';
import { normalizeIntensity, type NormalizeIntensityOptions } from './normalizeIntensity.js';
import { expectVoxlabError, tensorOf } from './testUtils.js';

const s125 = Math.sqrt(1.25); // population std of 1, 2, 3, 4 (ddof 0, as MONAI's torch.std(unbiased=False))

describe('normalizeIntensity', () => {
  it.each<[string, number[][], NormalizeIntensityOptions, number[]]>([
    ['z-score with the population std', [[1, 2, 3, 4]], {}, [-1.5, -0.5, 0.5, 1.5].map((v) => v / s125)],
    ['a constant image: divisor 0 -> 1, so zeros', [[7, 7, 7]], {}, [0, 0, 0]],
    ['given subtrahend and divisor', [[1, 2, 3]], { subtrahend: 1, divisor: 2 }, [0, 0.5, 1]],
    ['a given divisor 0 is replaced by 1', [[1, 2, 3]], { subtrahend: 1, divisor: 0 }, [0, 1, 2]],
    [
      'nonzero: statistics of the non-zero voxels, zeros kept',
      [[0, 2, 0, 4]],
      { nonzero: true },
      [0, -1, 0, 1],
    ],
    ['nonzero with no non-zero voxel: unchanged', [[0, 0]], { nonzero: true }, [0, 0]],
    [
      'channel-wise statistics',
      [
        [1, 3],
        [10, 20],
      ],
      { channelWise: true },
      [-1, 1, -1, 1],
    ],
    [
      'channel-wise given values',
      [
        [1, 3],
        [10, 20],
      ],
      { channelWise: true, subtrahend: [1, 10], divisor: [2, 5] },
      [0, 1, 0, 2],
    ],
    [
      'whole-array statistics over channels',
      [
        [0, 0],
        [2, 2],
      ],
      {},
      [-1, -1, 1, 1],
    ],
  ])('%s', (_name, input, options, expected) => {
    const out = normalizeIntensity(tensorOf(input), options);
    expect(out.shape).toEqual([input.length, input[0]!.length]);
    [...out.data].forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
  });

  it.each<[string, NormalizeIntensityOptions, RegExp]>([
    ['a list without channelWise', { subtrahend: [1, 2] }, /a list subtrahend needs channelWise: true/],
    [
      'a list of the wrong length',
      { channelWise: true, divisor: [1, 2, 3] },
      /the image has 2 channels, but divisor has 3 components/,
    ],
    ['a non-finite number', { divisor: NaN }, /divisor must be a finite number, got NaN/],
  ])('rejects %s', (_name, options, pattern) => {
    expectVoxlabError(
      () =>
        normalizeIntensity(
          tensorOf([
            [1, 2],
            [3, 4],
          ]),
          options,
        ),
      'BAD_ARGUMENT',
      /normalizeIntensity/,
      pattern,
    );
  });

  it('refuses NaN data with BAD_VALUES', () => {
    expectVoxlabError(() => normalizeIntensity(tensorOf([1, NaN])), 'BAD_VALUES', /normalizeIntensity/);
  });
});
