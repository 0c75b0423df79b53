import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resize, type ResizeOptions } from './resize.js';
import { expectVoxlabError, maxAbsDiff, tensorOf, toNested } from './testUtils.js';

const REFERENCE = new URL('../../../shared/reference/monai/', import.meta.url);
const readF32 = (name: string) => {
  const b = readFileSync(new URL(name, REFERENCE));
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

const ramp = tensorOf([[0, 1, 2, 3]]); // [C = 1, W = 4]

describe('resize', () => {
  // Expected values hand-computed from torch.nn.functional.interpolate's rules (see axisTable).
  it.each<[string, ResizeOptions, number, number[]]>([
    ['linear downsampling', { mode: 'linear' }, 2, [0.5, 2.5]],
    ['linear upsampling (edges clamp)', { mode: 'linear' }, 8, [0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3]],
    ['linear, align_corners', { mode: 'linear', alignCorners: true }, 7, [0, 0.5, 1, 1.5, 2, 2.5, 3]],
    ['area downsampling', { mode: 'area' }, 3, [0.5, 1.5, 2.5]],
    ['area (MONAI default mode)', {}, 2, [0.5, 2.5]],
    ['nearest', { mode: 'nearest' }, 3, [0, 1, 2]],
    ['nearest-exact', { mode: 'nearest-exact' }, 3, [0, 2, 3]],
    ['nearest upsampling x2', { mode: 'nearest' }, 8, [0, 0, 1, 1, 2, 2, 3, 3]],
  ])('%s of the ramp 0..3 to %#', (_name, options, size, expected) => {
    const out = resize(ramp, [size], options);
    expect(out.shape).toEqual([1, size]);
    expect([...out.data]).toEqual(expected.map(Math.fround));
  });

  it('bilinear upsampling of a 2x2 image is the outer sum of the 1-D ramps', () => {
    const out = resize(
      tensorOf([
        [
          [0, 1],
          [2, 3],
        ],
      ]),
      [4, 4],
      { mode: 'bilinear' },
    );
    const r = [0, 0.25, 0.75, 1];
    expect(toNested(out)).toEqual([r.map((ri) => r.map((rj) => 2 * ri + rj))]);
  });

  it('treats linear, bilinear and trilinear as the same separable rule', () => {
    const t = tensorOf([
      [
        [
          [1, 5, 2],
          [0, 3, 8],
        ],
        [
          [4, 4, 9],
          [7, 1, 6],
        ],
      ],
    ]); // [1, 2, 2, 3]
    const a = resize(t, [3, 5, 4], { mode: 'trilinear' });
    expect(resize(t, [3, 5, 4], { mode: 'linear' }).data).toEqual(a.data);
    expect(resize(t, [3, 5, 4], { mode: 'bilinear' }).data).toEqual(a.data);
  });

  it.each(['trilinear', 'area', 'nearest'] as const)(
    '%s to the same size copies the values, channels kept apart',
    (mode) => {
      const t = tensorOf([
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
        [
          [
            [5, 6],
            [7, 8],
          ],
        ],
      ]); // [2, 1, 2, 2]
      const out = resize(t, [1, 2, 2], { mode });
      expect(out.shape).toEqual([2, 1, 2, 2]);
      expect(out.data).toEqual(t.data);
      expect(out.data).not.toBe(t.data);
    },
  );

  it('keeps an axis whose size is -1 and scales by the longest axis in sizeMode longest', () => {
    const t = { shape: [1, 4, 6, 2], data: new Float32Array(48).fill(1) };
    expect(resize(t, [2, -1, 2]).shape).toEqual([1, 2, 6, 2]);
    expect(resize(t, 3, { sizeMode: 'longest' }).shape).toEqual([1, 2, 3, 1]);
    expect(
      resize({ shape: [1, 5, 2], data: new Float32Array(10) }, 2, { sizeMode: 'longest' }).shape,
    ).toEqual([1, 2, 1]); // round(0.8)
  });

  it('matches torch trilinear (align_corners=False) on MONAI input_96 -> 32^3 within 1e-5', () => {
    const out = resize({ shape: [1, 96, 96, 96], data: readF32('input_96.f32') }, [32, 32, 32], {
      mode: 'trilinear',
    });
    const diff = maxAbsDiff(out.data, readF32('input_32.f32'));
    console.info(`resize input_96 -> 32^3 vs input_32.f32: max abs diff ${diff}`);
    expect(diff).toBeLessThanOrEqual(1e-5);
  });

  it.each<[string, () => unknown, RegExp]>([
    ['rank 1', () => resize(tensorOf([1, 2, 3]), [2]), /resize: expected a tensor of rank 2\.\./],
    ['size 0', () => resize(ramp, [0]), /resize: spatialSize\[0\] must be a positive integer or -1.*got 0/],
    ['NaN size', () => resize(ramp, [NaN]), /spatialSize\[0\].*got NaN/],
    ['infinite size', () => resize(ramp, [Infinity]), /spatialSize\[0\].*got Infinity/],
    ['fractional size', () => resize(ramp, [2.5]), /got 2.5/],
    ['too few sizes', () => resize(tensorOf([[[1, 2]]]), [2]), /must list 2 sizes.*got \[2\]/],
    ['a number in sizeMode all', () => resize(ramp, 2), /must list 1 sizes.*got 2/],
    [
      'align corners with area',
      () => resize(ramp, [2], { mode: 'area', alignCorners: true }),
      /alignCorners.*'area'/,
    ],
    ['unknown mode', () => resize(ramp, [2], { mode: 'cubic' as 'area' }), /mode must be one of.*'cubic'/],
    ['bad longest size', () => resize(ramp, [2], { sizeMode: 'longest' }), /'longest'.*one positive integer/],
  ])('rejects %s', (_name, call, pattern) => {
    expectVoxlabError(call, 'BAD_ARGUMENT', pattern);
  });
});
