import { describe, expect, it } from 'vitest';
import { toAffine } from '../common/spaces.js';
import type { Volume } from '../io/types.js';
import { checkTensor, makeTensor, tensorToFortran, volumeToTensor } from './tensor.js';
import { expectVoxlabError, tensorOf } from './testUtils.js';

/** A Volume whose value at (i, j, k) is i * 100 + j * 10 + k, stored Fortran order (i fastest). */
function codedVolume(nx: number, ny: number, nz: number): Volume {
  const data = new Float32Array(nx * ny * nz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) data[i + nx * (j + ny * k)] = i * 100 + j * 10 + k;
  return {
    shape: [nx, ny, nz],
    data,
    affine: toAffine([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]),
  } as unknown as Volume;
}

describe('volumeToTensor', () => {
  it.each([
    [2, 3, 4],
    [1, 1, 1],
    [17, 9, 33], // not multiples of the 8x8 tile
    [40, 3, 1],
  ])('puts voxel (i, j, k) of a %ix%ix%i volume at [0, i, j, k] in C order', (nx, ny, nz) => {
    const t = volumeToTensor(codedVolume(nx, ny, nz));
    expect(t.shape).toEqual([1, nx, ny, nz]);
    for (let i = 0; i < nx; i++)
      for (let j = 0; j < ny; j++)
        for (let k = 0; k < nz; k++) expect(t.data[(i * ny + j) * nz + k]).toBe(i * 100 + j * 10 + k);
  });

  it('round-trips through tensorToFortran', () => {
    const v = codedVolume(13, 7, 11);
    const back = tensorToFortran(volumeToTensor(v));
    expect(back.shape).toEqual([13, 7, 11]);
    expect(back.data).toEqual(v.data);
    expect(tensorToFortran({ shape: [13, 7, 11], data: volumeToTensor(v).data }).data).toEqual(v.data);
  });

  it('rejects a volume whose data does not fit its shape', () => {
    expectVoxlabError(
      () => volumeToTensor({ ...codedVolume(2, 2, 2), data: new Float32Array(7) }),
      'BAD_ARGUMENT',
      /volumeToTensor/,
      /7 values/,
    );
  });
});

describe('checkTensor / tensorToFortran', () => {
  it.each([
    [{ shape: [2, 0], data: new Float32Array(0) }, /shape\[1\] must be a positive integer, got 0/],
    [{ shape: [2, 1.5], data: new Float32Array(3) }, /shape\[1\] must be a positive integer, got 1.5/],
    [{ shape: [2, 2], data: new Float32Array(3) }, /3 values but shape \[2, 2\] needs 4/],
  ])('rejects malformed tensors (%#)', (t, pattern) => {
    expectVoxlabError(() => checkTensor('someFn', t, 1), 'BAD_ARGUMENT', /someFn/, pattern);
  });

  it('names the expected rank', () => {
    expectVoxlabError(
      () => checkTensor('resize', tensorOf([1, 2]), 2),
      'BAD_ARGUMENT',
      /resize: expected a tensor of rank 2\.\./,
    );
  });

  it('refuses more than one channel when converting back', () => {
    expectVoxlabError(
      () => tensorToFortran(makeTensor([2, 1, 1, 1], new Float32Array(2))),
      'BAD_ARGUMENT',
      /one channel/,
    );
  });
});
