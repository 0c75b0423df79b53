import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';
import { importFolder } from './importFolder.js';
import type { ImportProgress } from './importFolder.js';
import { openStudy } from './openStudy.js';
import type { Study } from './Study.js';
import { IXI_CSV, IXI_DIR, makeTempDirs, writeTinyNifti } from './testing/fixtures.js';

const tmp = makeTempDirs();
let root: string;
let study: Study;
beforeEach(() => {
  root = tmp.make();
  study = openStudy(path.join(root, 'study'), { create: true });
});
afterEach(() => {
  study.close();
  tmp.cleanup();
});

/** subject → sex, from the IXI CSV. */
function ixiTruth(): Map<string, string> {
  const t = parseCsv(readFileSync(IXI_CSV, 'utf8'), IXI_CSV);
  return new Map(t.rows.map((r) => [path.basename(r.cells[0]!).replace('.nii.gz', ''), r.cells[2]!]));
}

describe('importing the 100 IXI scans', () => {
  it.each([
    ['copied', true],
    ['referenced', false],
  ])('%s: 100 images, 50 M / 50 F, labels as in the CSV, in a few seconds', async (_how, copy) => {
    const progress: ImportProgress[] = [];
    const t0 = performance.now();
    const result = await importFolder(study, IXI_DIR, { labelsCsv: IXI_CSV, copy, onProgress: (p) => progress.push(p) });
    const seconds = (performance.now() - t0) / 1000;
    console.log(`IXI import (${copy ? 'copy' : 'reference'}): 100 scans in ${seconds.toFixed(2)} s`);
    expect(seconds).toBeLessThan(10);
    expect(result).toMatchObject({ fileColumn: 'file', labelColumn: 'sex', skipped: [], missingFiles: [], duplicateRows: [], rowsNotImported: [], rowsWithoutLabel: [] });
    expect(result.otherFiles).toEqual([IXI_CSV]);
    expect(result.imported).toHaveLength(100);
    expect(progress).toHaveLength(100);
    expect(progress.at(-1)).toMatchObject({ done: 100, total: 100 });
    const images = study.listImages();
    expect(images).toHaveLength(100);
    const truth = ixiTruth();
    for (const img of images) {
      expect(img.label).toBe(truth.get(img.id));
      expect(img).toMatchObject({ status: 'labeled', labelVersion: 1, storage: copy ? 'copy' : 'reference', shape: [120, 120, 90] });
    }
    expect(images.filter((i) => i.label === 'M')).toHaveLength(50);
    expect(images.filter((i) => i.label === 'F')).toHaveLength(50);
    expect(study.listLabelClasses()).toEqual(['F', 'M']);
    expect(study.getLabelHistory('IXI012-HH-1211_T1')[0]).toMatchObject({ author: 'import', note: 'imported from labels.csv line 2' });
    expect(readdirSync(path.join(study.dir, 'images'))).toHaveLength(copy ? 100 : 0);
    // Importing again adds nothing and says why.
    const again = await importFolder(study, path.join(IXI_DIR, 't1'), { labelsCsv: IXI_CSV, copy });
    expect(again.imported).toEqual([]);
    expect(again.skipped).toHaveLength(100);
    expect(new Set(again.skipped.map((s) => s.code))).toEqual(new Set(['ALREADY_EXISTS']));
  });

  it('takes another label column when told', async () => {
    const result = await importFolder(study, path.join(IXI_DIR, 't1'), { labelsCsv: IXI_CSV, labelColumn: 'SEX_ID', copy: false });
    expect(result.labelColumn).toBe('sex_id');
    expect(study.listLabelClasses()).toEqual(['1', '2']);
  });
});

describe('importing a messy folder', () => {
  /** scans/: good1, good2, good3 (.nii), broken.nii.gz (not gzip), notes.txt; labels.csv with problems. */
  function messyFolder(csv: string): string {
    const dir = path.join(root, 'scans');
    mkdirSync(path.join(dir, 'sub'), { recursive: true });
    writeTinyNifti(path.join(dir, 'good1.nii'));
    writeTinyNifti(path.join(dir, 'sub', 'good2.nii.gz'));
    writeTinyNifti(path.join(dir, 'good3.nii'));
    writeFileSync(path.join(dir, 'broken.nii.gz'), 'this is not gzip');
    writeFileSync(path.join(dir, 'notes.txt'), 'hello');
    writeFileSync(path.join(dir, 'labels.csv'), csv);
    return dir;
  }

  it('imports what it can and reports every other row and file', async () => {
    const dir = messyFolder(
      ['image,diagnosis,label', 'good1.nii,x,AD', 'sub/good2.nii.gz,x,CN', 'ghost.nii,x,AD', 'good1.nii,x,CN', 'good3.nii,x,', 'broken.nii.gz,x,AD', 'notes.txt,x,AD', ''].join('\r\n'),
    );
    const result = await importFolder(study, dir, { labelsCsv: path.join(dir, 'labels.csv') });
    expect(result.fileColumn).toBe('image');
    expect(result.labelColumn).toBe('label');
    expect(result.imported.map((i) => [i.id, i.label])).toEqual([
      ['good1', 'AD'],
      ['good3', null],
      ['good2', 'CN'],
    ]);
    expect(result.skipped).toEqual([{ file: path.join(dir, 'broken.nii.gz'), code: 'NIFTI_CORRUPT', reason: expect.stringContaining('gzip') }]);
    expect(result.missingFiles).toEqual([{ line: 4, file: 'ghost.nii' }]);
    expect(result.duplicateRows).toEqual([{ line: 5, file: 'good1.nii', label: 'CN', firstLine: 2 }]);
    expect(result.rowsWithoutLabel).toEqual([{ line: 6, file: 'good3.nii' }]);
    expect(result.rowsNotImported).toEqual([{ line: 8, file: 'notes.txt', reason: expect.stringContaining('not a NIfTI') }]);
    expect(result.otherFiles.map((f) => path.basename(f))).toEqual(['labels.csv', 'notes.txt']);
    expect(study.getImage('good3').status).toBe('unlabeled');
    expect(readdirSync(path.join(study.dir, 'images')).sort()).toEqual(['good1.nii', 'good2.nii.gz', 'good3.nii']);
  });

  it.each([
    ['no label column', 'file,age\ngood1.nii,30\n', {}, /no label column/],
    ['no file column', 'scan,label\ngood1.nii,AD\n', {}, /no image file column/],
    ['a missing asked-for column', 'file,label\ngood1.nii,AD\n', { labelColumn: 'dx' }, /has no column "dx"/],
    ['a ragged row', 'file,label\ngood1.nii,AD,extra\n', {}, /line 2: 3 cells/],
    ['a label with a control character', 'file,label\ngood1.nii,"A\u0007"\n', {}, /line 2/],
  ])('refuses a CSV with %s before copying anything', async (_what, csv, columns, message) => {
    const dir = messyFolder(csv);
    await expect(importFolder(study, dir, { labelsCsv: path.join(dir, 'labels.csv'), ...columns })).rejects.toMatchObject({
      code: 'CSV_INVALID',
      message: expect.stringMatching(message),
    });
    expect(study.listImages()).toEqual([]);
    expect(readdirSync(path.join(study.dir, 'images'))).toEqual([]);
  });

  it('skips the study folder when it sits inside the imported folder', async () => {
    const inner = openStudy(path.join(root, 'data', 'study'), { create: true });
    writeTinyNifti(path.join(root, 'data', 'one.nii'));
    await inner.addImage(path.join(root, 'data', 'one.nii'));
    const result = await importFolder(inner, path.join(root, 'data'));
    inner.close();
    expect(result.imported).toEqual([]);
    expect(result.skipped.map((s) => s.code)).toEqual(['ALREADY_EXISTS']);
  });

  it('refuses a missing folder or CSV', async () => {
    await expect(importFolder(study, path.join(root, 'nope'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const dir = messyFolder('file,label\n');
    await expect(importFolder(study, dir, { labelsCsv: path.join(dir, 'missing.csv') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
