// `voxlab convert DICOM_DIR OUTDIR`: the Siemens MPRAGE of ../shared/data/dicom becomes one 256x256x176 1 mm
// NIfTI named like dcm2niix's -f %s_%d, its sidecar without PHI (with it on --with-phi); a folder of mixed
// echoes is split; refusals in words.

import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readNifti } from '../../io/readNifti.js';
import { convertDicomFolder } from './convertDicom.js';

const DICOM = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'dicom');
const temp: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'voxlab-convert-dicom-'));
  temp.push(d);
  return d;
};
afterAll(() => temp.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('voxlab convert DICOM_DIR OUTDIR', () => {
  it('writes the MPRAGE as one NIfTI + a sidecar with no PHI by default', async () => {
    const out = tempDir();
    const lines: string[] = [];
    const written = await convertDicomFolder(path.join(DICOM, 'trio_b17_t1_mprage'), out, { say: (l) => lines.push(l) });
    expect(written.map((w) => w.name)).toEqual(['19_t1_MPRAGEcr_noGRAPPA']);
    expect(readdirSync(out).sort()).toEqual(['19_t1_MPRAGEcr_noGRAPPA.json', '19_t1_MPRAGEcr_noGRAPPA.nii.gz']);
    const volume = await readNifti(written[0]!.nifti);
    expect([...volume.shape].sort((a, b) => a - b)).toEqual([176, 256, 256]);
    expect(volume.header.pixdim.slice(0, 3).map((v) => Math.round(v * 1000) / 1000)).toEqual([1, 1, 1]);
    const sidecar = JSON.parse(readFileSync(written[0]!.sidecar, 'utf8')) as Record<string, unknown>;
    expect(sidecar).toMatchObject({ SeriesNumber: 19, SeriesDescription: 't1_MPRAGEcr_noGRAPPA', Modality: 'MR' });
    for (const phi of ['PatientName', 'PatientID', 'PatientBirthDate', 'SeriesInstanceUID', 'StudyDescription'])
      expect(sidecar, phi).not.toHaveProperty(phi);
    expect(lines.join('\n')).not.toMatch(/Rorden|1970/); // no patient name or birth date in messages
  });

  it('keeps the PHI fields when asked', async () => {
    const written = await convertDicomFolder(path.join(DICOM, 'trio_b17_t1_mprage'), tempDir(), { withPhi: true });
    const sidecar = JSON.parse(readFileSync(written[0]!.sidecar, 'utf8')) as Record<string, unknown>;
    expect(sidecar).toHaveProperty('PatientID');
    expect(String(sidecar.SeriesInstanceUID)).toMatch(/^1\.3\.12\.2\.1107\./);
  });

  it('splits a series that mixes two echoes, as dcm2niix does, and says what is missing', async () => {
    const lines: string[] = [];
    const written = await convertDicomFolder(path.join(DICOM, 'edge_trio_b17_gre_field_mapping_incomplete'), tempDir(), { say: (l) => lines.push(l) });
    expect(written.length).toBeGreaterThanOrEqual(2);
    expect(written.map((w) => w.name).join()).toMatch(/_e2/);
    // 36 of 72 files: each echo has gaps, which dcm2niix reports (and equalises into the _Eq_ files).
    expect(lines.join('\n')).toMatch(/Missing images\? Expected 18 images/);
    expect(lines.join('\n')).toMatch(/Interslice distance varies/);
  });

  it('refuses a folder without DICOM files, and a missing folder', async () => {
    const empty = tempDir();
    writeFileSync(path.join(empty, 'notes.txt'), 'not an image');
    await expect(convertDicomFolder(empty, tempDir())).rejects.toMatchObject({ code: 'NOT_A_VOLUME', message: expect.stringMatching(/No DICOM files.*1 other file/) });
    await expect(convertDicomFolder(path.join(empty, 'gone'), tempDir())).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
