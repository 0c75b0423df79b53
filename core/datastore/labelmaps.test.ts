import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { toAffine } from '../common/spaces.js';
import { readNifti } from '../io/readNifti.js';
import type { LabelmapInput } from './labelmaps.js';
import type { Study } from './Study.js';
import { makeTempDirs, studyWithImages } from './testing/fixtures.js';

const tmp = makeTempDirs();
let study: Study;
beforeEach(async () => {
  study = await studyWithImages(tmp.make(), ['scan']);
});
afterEach(() => {
  study.close();
  tmp.cleanup();
});

const affine = toAffine([2, 0, 0, -10, 0, 2, 0, -20, 0, 0, 2, -30, 0, 0, 0, 1]);
/** A 4x5x6 labelmap whose voxel n holds (n + salt) % 4. */
function labelmap(salt: number): LabelmapInput {
  return { shape: [4, 5, 6], data: Uint8Array.from({ length: 120 }, (_, n) => (n + salt) % 4), affine };
}

it('writes one file per version, never overwriting, and reads back exactly', async () => {
  const v1 = await study.saveLabelmap('scan', labelmap(0), { author: 'ana' });
  const v2 = await study.saveLabelmap('scan', labelmap(1), { author: 'ben', expectedVersion: 1, note: 'fixed the ventricles' });
  expect([v1.storedPath, v2.storedPath]).toEqual(['labels/scan/seg-v1.nii.gz', 'labels/scan/seg-v2.nii.gz']);
  expect(readdirSync(path.join(study.dir, 'labels/scan')).sort()).toEqual(['seg-v1.nii.gz', 'seg-v2.nii.gz']);
  for (const [v, salt] of [[v1, 0], [v2, 1]] as const) {
    const vol = await readNifti(v.path);
    expect(vol.shape).toEqual([4, 5, 6]);
    expect(Array.from(vol.data)).toEqual(Array.from(labelmap(salt).data));
    expect(Array.from(vol.affine)).toEqual(Array.from(affine));
  }
  expect(study.getLabelmap('scan')).toMatchObject({ version: 2, author: 'ben', note: 'fixed the ventricles' });
  expect(study.getLabelmapHistory('scan').map((v) => [v.version, v.author, v.conflict])).toEqual([[1, 'ana', false], [2, 'ben', false]]);
  expect(study.getImage('scan')).toMatchObject({ status: 'labeled', labelmapVersion: 2, label: null });
});

it('keeps a stale save as a conflict version and reports LABEL_CONFLICT', async () => {
  await study.saveLabelmap('scan', labelmap(0), { author: 'ana', expectedVersion: 0 });
  await expect(study.saveLabelmap('scan', labelmap(2), { author: 'ben', expectedVersion: 0 })).rejects.toMatchObject({
    code: 'LABEL_CONFLICT',
    details: { imageId: 'scan', expectedVersion: 0, currentVersion: 1, storedVersion: 2 },
  });
  expect(study.getLabelmap('scan')).toMatchObject({ version: 1, author: 'ana' });
  const [, kept] = study.getLabelmapHistory('scan');
  expect(kept).toMatchObject({ version: 2, author: 'ben', conflict: true, expectedVersion: 0 });
  expect(Array.from((await readNifti(kept!.path)).data)).toEqual(Array.from(labelmap(2).data));
});

it('replaces a leftover file of a crashed save, and ignores leftover pending files', async () => {
  const dir = path.join(study.dir, 'labels/scan');
  await study.saveLabelmap('scan', labelmap(0), { author: 'ana' });
  // What a crash between the rename and the commit, and one during the write, would leave behind.
  writeFileSync(path.join(dir, 'seg-v2.nii.gz'), 'half a file');
  writeFileSync(path.join(dir, '.pending-1-abc.nii.gz'), 'junk');
  const v2 = await study.saveLabelmap('scan', labelmap(3), { author: 'ana' });
  expect(v2.version).toBe(2);
  expect(Array.from((await readNifti(v2.path)).data)).toEqual(Array.from(labelmap(3).data));
  expect(study.getLabelmapHistory('scan').map((v) => path.basename(v.path))).toEqual(['seg-v1.nii.gz', 'seg-v2.nii.gz']);
});

it.each([
  ['a wrong voxel count', { ...labelmap(0), data: new Uint8Array(7) }, 'SHAPE_MISMATCH'],
  ['a bad shape', { ...labelmap(0), shape: [4, 5, 0] as const }, 'BAD_ARGUMENT'],
  ['float data', { ...labelmap(0), data: new Float32Array(120) as unknown as Uint8Array }, 'BAD_ARGUMENT'],
  ['a grid other than the image’s', { ...labelmap(0), shape: [5, 4, 6] as const }, 'SHAPE_MISMATCH'],
  ['a short affine', { ...labelmap(0), affine: [1, 0, 0] as unknown as LabelmapInput['affine'] }, 'BAD_ARGUMENT'],
])('refuses %s and writes nothing', async (_what, input, code) => {
  await expect(study.saveLabelmap('scan', input as LabelmapInput, { author: 'ana' })).rejects.toMatchObject({ code });
  expect(study.getLabelmapHistory('scan')).toEqual([]);
});

it('refuses an unknown image', async () => {
  await expect(study.saveLabelmap('nope', labelmap(0), { author: 'ana' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  expect(study.getLabelmap('scan')).toBeNull();
});
