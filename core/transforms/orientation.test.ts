import { describe, expect, it } from 'vitest';
import { toAffine } from '../common/spaces.js';
import { readNifti } from '../io/readNifti.js';
import { orientation } from './orientation.js';
import { volumeToTensor } from './tensor.js';
import { expectVoxlabError, maxAbsDiff, tensorOf, toNested } from './testUtils.js';

const EDGE = new URL('../../../shared/data/edge_cases/', import.meta.url);
const read = (name: string) => readNifti(new URL(name, EDGE).pathname);
const diag = (x: number, y: number, z: number) => toAffine([x, 0, 0, 0, 0, y, 0, 0, 0, 0, z, 0, 0, 0, 0, 1]);

// [C = 1, 2, 1, 3]: distinct values show where each voxel went.
const small = tensorOf([[[[1, 2, 3]], [[4, 5, 6]]]]);

describe('orientation', () => {
  it('leaves an RAS image as it is', () => {
    const { tensor, affine } = orientation(small, diag(2, 3, 4));
    expect(tensor.data).toEqual(small.data);
    expect(affine).toEqual(diag(2, 3, 4));
  });

  it('flips an axis pointing left and moves the origin to the far end', () => {
    const { tensor, affine } = orientation(small, diag(-2, 1, 1));
    expect(toNested(tensor)).toEqual([[[[4, 5, 6]], [[1, 2, 3]]]]);
    // Voxel 0 of the new axis 0 is old voxel 1, at x = -2 mm; it now grows to the right.
    expect(affine).toEqual(toAffine([2, 0, 0, -2, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]));
  });

  it('reorders to other axcodes (here LPS, DICOM order)', () => {
    const { tensor } = orientation(small, diag(1, 1, 1), { axcodes: 'LPS' });
    expect(toNested(tensor)).toEqual([[[[4, 5, 6]], [[1, 2, 3]]]]);
  });

  // One brain stored in six voxel orders (shared/data/edge_cases): every one, reoriented to RAS,
  // must give the RAS file's voxels and affine.
  it.each(['AIL', 'IRA', 'LAS', 'PSR', 'SLP', 'RAS'])(
    'brings the %s copy of one image to the RAS copy',
    async (codes) => {
      const ras = await read('niivue_nifti_space_RAS.nii.gz');
      const volume = await read(`niivue_nifti_space_${codes}.nii.gz`);
      expect(volume.axcodes).toBe(codes);
      const { tensor, affine } = orientation(volumeToTensor(volume), volume.affine);
      const expected = volumeToTensor(ras);
      expect(tensor.shape).toEqual(expected.shape);
      expect(maxAbsDiff(tensor.data, expected.data)).toBe(0);
      expect(maxAbsDiff(affine, ras.affine)).toBeLessThan(1e-3);
    },
  );

  it.each<[string, () => unknown, RegExp]>([
    [
      'a 2D image',
      () => orientation(tensorOf([[[1, 2]]]), diag(1, 1, 1)),
      /orientation: expected a tensor of rank 4/,
    ],
    [
      'two codes',
      () => orientation(small, diag(1, 1, 1), { axcodes: 'RA' }),
      /axcodes must be 3 letters.*'RA'/,
    ],
    [
      'a repeated world axis',
      () => orientation(small, diag(1, 1, 1), { axcodes: 'RLS' }),
      /each world axis once.*'RLS'/,
    ],
    ['a degenerate affine', () => orientation(small, diag(1, 0, 1)), /voxel axis 1 no direction/],
    ['a non-finite affine', () => orientation(small, diag(NaN, 1, 1)), /16 finite numbers/],
  ])('rejects %s', (_name, call, pattern) => {
    expectVoxlabError(call, 'BAD_ARGUMENT', pattern);
  });
});
