import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { imageIdFromFileName } from './images.js';
import { openStudy } from './openStudy.js';
import type { Study } from './Study.js';
import { SHARED_DATA, makeTempDirs, writeTinyNifti } from './testing/fixtures.js';

const tmp = makeTempDirs();
let root: string;
let study: Study;
beforeEach(() => {
  root = tmp.make();
  study = openStudy(path.join(root, 'study'), { create: true });
  mkdirSync(path.join(root, 'a'));
  mkdirSync(path.join(root, 'b'));
});
afterEach(() => {
  study.close();
  tmp.cleanup();
});

describe('addImage', () => {
  it('copies into images/ under the id, atomically (no temp files left)', async () => {
    const src = writeTinyNifti(path.join(root, 'a', 'IXI 012_T1.nii.gz'));
    const img = await study.addImage(src);
    expect(img).toMatchObject({ id: 'IXI_012_T1', storage: 'copy', storedPath: 'images/IXI_012_T1.nii.gz', sourcePath: src, shape: [4, 5, 6], status: 'unlabeled', labelVersion: 0 });
    expect(img.path).toBe(path.join(study.dir, 'images', 'IXI_012_T1.nii.gz'));
    expect(readdirSync(path.join(study.dir, 'images'))).toEqual(['IXI_012_T1.nii.gz']);
  });

  it('copies the .img of a .hdr pair', async () => {
    const img = await study.addImage(path.join(SHARED_DATA, 'edge_cases/niivue_ras.hdr'));
    expect(img.format).toBe('nifti-pair');
    expect(readdirSync(path.join(study.dir, 'images')).sort()).toEqual(['niivue_ras.hdr', 'niivue_ras.img']);
  });

  it('references files absolutely or relative to the study, and resolves both', async () => {
    const abs = await study.addImage(writeTinyNifti(path.join(root, 'a', 'x.nii')), { copy: false });
    const rel = await study.addImage(writeTinyNifti(path.join(root, 'b', 'y.nii')), { copy: false, relativeReference: true });
    expect(abs).toMatchObject({ storage: 'reference', storedPath: path.join(root, 'a', 'x.nii'), path: path.join(root, 'a', 'x.nii') });
    expect(rel).toMatchObject({ storage: 'reference', storedPath: '../b/y.nii', path: path.join(root, 'b', 'y.nii') });
    expect(readdirSync(path.join(study.dir, 'images'))).toEqual([]);
  });

  it('makes ids unique, ignoring case (ids name folders)', async () => {
    const first = await study.addImage(writeTinyNifti(path.join(root, 'a', 'scan.nii')));
    const second = await study.addImage(writeTinyNifti(path.join(root, 'b', 'SCAN.nii')));
    const third = await study.addImage(writeTinyNifti(path.join(root, 'b', 'scan.nii.gz')));
    expect([first.id, second.id, third.id]).toEqual(['scan', 'SCAN-2', 'scan-3']);
    expect(study.listImages().map((i) => i.id)).toEqual(['SCAN-2', 'scan', 'scan-3']);
  });

  it.each([
    ['the same file twice', async () => study.addImage(path.join(root, 'a', 'dup.nii')), 'ALREADY_EXISTS'],
    ['a taken id', async () => study.addImage(writeTinyNifti(path.join(root, 'b', 'other.nii')), { id: 'DUP' }), 'ALREADY_EXISTS'],
    ['a bad id', async () => study.addImage(writeTinyNifti(path.join(root, 'b', 'other.nii')), { id: '../up' }), 'BAD_ARGUMENT'],
    ['a reserved id', async () => study.addImage(writeTinyNifti(path.join(root, 'b', 'other.nii')), { id: 'aux' }), 'BAD_ARGUMENT'],
    ['a missing file', async () => study.addImage(path.join(root, 'a', 'missing.nii')), 'NOT_FOUND'],
    ['a text file', async () => (writeFileSync(path.join(root, 'a', 'text.nii'), 'not an image'.repeat(50)), study.addImage(path.join(root, 'a', 'text.nii'))), 'NOT_NIFTI'],
  ])('refuses %s', async (_what, add, code) => {
    await study.addImage(writeTinyNifti(path.join(root, 'a', 'dup.nii')));
    await expect(add()).rejects.toMatchObject({ code });
    expect(study.listImages().map((i) => i.id)).toEqual(['dup']);
    expect(readdirSync(path.join(study.dir, 'images'))).toEqual(['dup.nii']);
  });
});

it.each([
  ['t1/IXI012-HH-1211_T1.nii.gz', 'IXI012-HH-1211_T1'],
  ['sub-01_T1w.nii', 'sub-01_T1w'],
  ['pair.HDR', 'pair'],
  ['my scan (1).nii.gz', 'my_scan__1_'],
  ['__.nii', 'image'],
  ['.hidden.nii', 'hidden'],
  ['nul.nii', 'nul_'],
  ['COM1.nii.gz', 'COM1_'],
])('imageIdFromFileName(%s) = %s', (file, id) => {
  expect(imageIdFromFileName(file)).toBe(id);
});
