import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toAffine } from '../common/spaces.js';
import { parseCsv } from './csv.js';
import { buildDatalist, exportLabelsCsv, writeDatalist } from './exportLabels.js';
import { importFolder } from './importFolder.js';
import { openStudy } from './openStudy.js';
import type { Study } from './Study.js';
import { makeTempDirs, studyWithImages } from './testing/fixtures.js';

const tmp = makeTempDirs();
let root: string;
let study: Study;
beforeEach(async () => {
  root = tmp.make();
  study = await studyWithImages(root, ['s1', 's2', 's3', 's4']);
  study.setClassLabel('s1', 'M', { author: 'ana' });
  study.setClassLabel('s2', 'F', { author: 'ben' });
  study.setClassLabel('s3', 'M', { author: 'ana' });
});
afterEach(() => {
  study.close();
  tmp.cleanup();
});

describe('MONAI datalist', () => {
  it('lists labeled images with class indices, relative to the output folder', async () => {
    const out = path.join(root, 'export', 'datalist.json');
    const list = await writeDatalist(study, out, { validationIds: ['s3'] });
    expect(list).toEqual({
      training: [
        { image: '../src/s1.nii', label: 1 },
        { image: '../src/s2.nii', label: 0 },
      ],
      validation: [{ image: '../src/s3.nii', label: 1 }],
      labels: { '0': 'F', '1': 'M' },
    });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(list);
  });

  it('writes absolute paths and class names when asked', () => {
    const list = buildDatalist(study, root, { paths: 'absolute', labelAs: 'name' });
    expect(list).toEqual({
      training: ['s1', 's2', 's3'].map((id, k) => ({ image: path.join(root, 'src', `${id}.nii`), label: ['M', 'F', 'M'][k] })),
    });
  });

  it('lists labelmaps for segmentation', async () => {
    await study.saveLabelmap('s4', { shape: [4, 5, 6], data: new Uint8Array(120), affine: toAffine([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]) }, { author: 'ana' });
    expect(buildDatalist(study, study.dir, { kind: 'segmentation' })).toEqual({ training: [{ image: '../src/s4.nii', label: 'labels/s4/seg-v1.nii.gz' }] });
  });

  it.each([
    [{ validationIds: ['nope'] }, 'NOT_FOUND'],
    [{ validationIds: ['s4'] }, 'BAD_ARGUMENT'],
    [{ paths: 'sideways' as 'absolute' }, 'BAD_ARGUMENT'],
  ])('refuses %j', (options, code) => {
    expect(() => buildDatalist(study, root, options)).toThrow(expect.objectContaining({ code }));
  });
});

describe('labels CSV', () => {
  it('writes image,label,author,updated_at,subject for every image, and imports back', async () => {
    study.setClassLabel('s2', null, { author: 'cy' });
    const out = path.join(root, 'labels-out.csv');
    expect(await exportLabelsCsv(study, out)).toBe(4);
    const table = parseCsv(readFileSync(out, 'utf8'), out);
    expect(table.columns).toEqual(['image', 'label', 'author', 'updated_at', 'subject']);
    // NIfTI images have no PatientID: no subject (DICOM ones: core/datastore/pseudonyms.test.ts).
    expect(table.rows.map((r) => r.cells[4])).toEqual(['', '', '', '']);
    expect(table.rows.map((r) => r.cells.slice(0, 3))).toEqual([
      ['src/s1.nii', 'M', 'ana'],
      ['src/s2.nii', '', 'cy'],
      ['src/s3.nii', 'M', 'ana'],
      ['src/s4.nii', '', ''],
    ]);
    expect(table.rows[0]!.cells[3]).toBe(study.getClassLabel('s1').createdAt);
    const copy = openStudy(path.join(root, 'copy'), { create: true });
    const result = await importFolder(copy, path.join(root, 'src'), { labelsCsv: out });
    expect(copy.listImages().map((i) => [i.id, i.label])).toEqual([['s1', 'M'], ['s2', null], ['s3', 'M'], ['s4', null]]);
    expect(result.rowsWithoutLabel.map((r) => r.line)).toEqual([3, 5]);
    copy.close();
  });
});
