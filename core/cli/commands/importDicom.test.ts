// `voxlab import DICOM_DIR`: DICOM series become copied NIfTI images with their provenance recorded in the
// same transaction; importing the same series again skips it (nothing doubled); no staging left behind.

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getImageSource, openStudy } from '../../datastore/index.js';
import { readNifti } from '../../io/readNifti.js';
import { imageSummary } from '../../server/service/dto.js';
import { importDicomFolder } from './importDicom.js';

const DICOM = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'dicom');
const root = mkdtempSync(path.join(os.tmpdir(), 'voxlab-import-dicom-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('importDicomFolder', () => {
  it('imports each series with its provenance, once', async () => {
    const study = openStudy(path.join(root, 'study'), { create: { name: 'dicom test' } });
    try {
      const first = await importDicomFolder(study, path.join(DICOM, 'trio_b17_t1_mprage'), { author: 'dr-a' });
      expect(first?.imported.map((i) => i.id)).toEqual(['19_t1_MPRAGEcr_noGRAPPA']);
      const image = study.getImage('19_t1_MPRAGEcr_noGRAPPA');
      expect([...(await readNifti(image.path)).shape].sort((a, b) => a - b)).toEqual([176, 256, 256]);
      const source = getImageSource(study, '19_t1_MPRAGEcr_noGRAPPA');
      expect(source).toMatchObject({
        kind: 'dicom',
        provenance: { seriesNumber: 19, seriesDescription: 't1_MPRAGEcr_noGRAPPA', modality: 'MR', patientId: 'Rorden Lab' },
      });
      expect(String(source!.provenance.seriesInstanceUid)).toMatch(/^1\.3\.12\.2\.1107\./);
      // The API's image summary carries it for the study list.
      expect(imageSummary(study.getImage('19_t1_MPRAGEcr_noGRAPPA')).source).toMatchObject({
        kind: 'dicom',
        patientId: 'Rorden Lab',
        seriesNumber: 19,
        seriesDescription: 't1_MPRAGEcr_noGRAPPA',
        modality: 'MR',
      });

      const again = await importDicomFolder(study, path.join(DICOM, 'trio_b17_t1_mprage'), { author: 'dr-a' });
      expect(again?.imported).toEqual([]);
      expect(again?.skipped).toHaveLength(1);
      expect(again?.skipped[0]).toMatchObject({ code: 'ALREADY_EXISTS', reason: expect.stringContaining('19_t1_MPRAGEcr_noGRAPPA') });
      expect(study.listImages()).toHaveLength(1);
      expect(readdirSync(study.dir).filter((f) => f.startsWith('.dicom-import-'))).toEqual([]);
    } finally {
      study.close();
    }
  }, 60_000);

  it('gives null for a folder without DICOM files (the NIfTI import takes over)', async () => {
    const study = openStudy(path.join(root, 'study2'), { create: { name: 'nifti test' } });
    try {
      expect(await importDicomFolder(study, path.resolve(DICOM, '..', 'ixi', 't1'), { author: 'a' })).toBeNull();
    } finally {
      study.close();
    }
  });
});
