import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { isNiftiName, probeNifti } from './probeNifti.js';
import { SHARED_DATA, makeTempDirs, tinyNiftiBytes, writeTinyNifti } from './testing/fixtures.js';

const tmp = makeTempDirs();
afterEach(tmp.cleanup);

describe('probeNifti on real files', () => {
  it.each([
    ['ixi/t1/IXI012-HH-1211_T1.nii.gz', 'nifti1', [120, 120, 90]],
    ['nifti/nibabel_example_nifti2.nii.gz', 'nifti2', [32, 20, 12, 2]],
    ['nifti/nibabel_anatomical.nii', 'nifti1', [33, 41, 25]],
    ['edge_cases/niivue_ras.hdr', 'nifti-pair', [62, 41, 34]],
  ])('%s → %s %j', async (file, format, shape) => {
    const probe = await probeNifti(path.join(SHARED_DATA, file));
    expect(probe.format).toBe(format);
    expect(probe.shape).toEqual(shape);
  });

  it.each([
    ['edge_cases/niivue_Conte69.MyelinAndCorrThickness.32k_fs_LR.dtseries.nii', 'NOT_A_VOLUME'],
    ['edge_cases/niivue_ras.img', 'NOT_NIFTI'],
    ['ixi/labels.csv', 'NOT_NIFTI'],
    ['nifti/does-not-exist.nii', 'NOT_FOUND'],
  ])('%s → %s', async (file, code) => {
    await expect(probeNifti(path.join(SHARED_DATA, file))).rejects.toMatchObject({ code });
  });
});

describe('probeNifti on damaged files', () => {
  it('finds a truncated .nii and a truncated .nii.gz', async () => {
    const dir = tmp.make();
    const bytes = tinyNiftiBytes([10, 10, 10], 3);
    writeFileSync(path.join(dir, 'short.nii'), bytes.subarray(0, bytes.length - 1));
    writeFileSync(path.join(dir, 'short.nii.gz'), gzipSync(bytes.subarray(0, 600)));
    await expect(probeNifti(path.join(dir, 'short.nii'))).rejects.toMatchObject({ code: 'NIFTI_TRUNCATED' });
    await expect(probeNifti(path.join(dir, 'short.nii.gz'))).rejects.toMatchObject({ code: 'NIFTI_TRUNCATED' });
  });

  it('reports a damaged gzip stream as NIFTI_CORRUPT', async () => {
    const dir = tmp.make();
    const gz = readFileSync(path.join(SHARED_DATA, 'ixi/t1/IXI012-HH-1211_T1.nii.gz'));
    writeFileSync(path.join(dir, 'cut.nii.gz'), gz.subarray(0, gz.length >> 1));
    const flipped = Buffer.from(gz);
    for (let k = 2000; k < 2100; k++) flipped[k] = flipped[k]! ^ 0xff;
    writeFileSync(path.join(dir, 'flipped.nii.gz'), flipped);
    await expect(probeNifti(path.join(dir, 'cut.nii.gz'))).rejects.toMatchObject({ code: 'NIFTI_CORRUPT' });
    await expect(probeNifti(path.join(dir, 'flipped.nii.gz'))).rejects.toMatchObject({ code: 'NIFTI_CORRUPT' });
  });

  it('wants the .img of a .hdr', async () => {
    const dir = tmp.make();
    copyFileSync(path.join(SHARED_DATA, 'edge_cases/niivue_ras.hdr'), path.join(dir, 'lonely.hdr'));
    await expect(probeNifti(path.join(dir, 'lonely.hdr'))).rejects.toMatchObject({ code: 'NIFTI_TRUNCATED' });
  });

  it('accepts the tiny test image, plain and gzipped', async () => {
    const dir = tmp.make();
    expect((await probeNifti(writeTinyNifti(path.join(dir, 'a.nii')))).shape).toEqual([4, 5, 6]);
    expect((await probeNifti(writeTinyNifti(path.join(dir, 'a.nii.gz')))).shape).toEqual([4, 5, 6]);
  });
});

it.each([
  ['a.nii', true], ['a.NII.GZ', true], ['a.hdr', true], ['a.img', false], ['labels.csv', false], ['a.nii.bak', false],
])('isNiftiName(%s) = %s', (name, expected) => {
  expect(isNiftiName(name)).toBe(expected);
});
