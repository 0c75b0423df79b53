// `voxlab info DICOM_DIR --json` lists the series of a folder (issue #11): one object per volume dcm2niix makes,
// with shape, voxel size and orientation as in the NIfTI it writes, and no patient data; through the
// function and the built CLI (several folders, one without DICOM refused in words).

import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { convertDicomFiles, findDicomFiles } from '../../dicom/index.js';
import { dicomFolderInfo } from './infoDicom.js';

const DICOM = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'dicom');
const BIN = path.join(import.meta.dirname, '..', '..', '..', 'bin', 'voxlab.js');

describe('voxlab info on a DICOM folder', () => {
  it('lists the MPRAGE with its shape, voxel size and orientation', async () => {
    const info = await dicomFolderInfo(path.join(DICOM, 'trio_b17_t1_mprage'));
    expect(info).toMatchObject({ dicomFiles: 176, series: [{ name: '19_t1_MPRAGEcr_noGRAPPA', seriesNumber: 19, modality: 'MR' }] });
    const s = info!.series[0]!;
    expect([...s.shape].sort((a, b) => a - b)).toEqual([176, 256, 256]);
    expect(s.voxelSize.every((v) => v > 0.9 && v < 1.1)).toBe(true);
    expect(s.orientation).toMatch(/^[LRAPSI]{3}$/);
  }, 60_000);

  it('splits a field map into its echoes, as dcm2niix does, and says nothing of the patient', async () => {
    const dir = path.join(DICOM, 'edge_trio_b17_gre_field_mapping_incomplete');
    const info = await dicomFolderInfo(dir);
    const { series } = await convertDicomFiles((await findDicomFiles(dir)).files);
    expect(info!.series.map((s) => s.name)).toEqual(series.map((s) => s.name));
    const text = JSON.stringify(info);
    for (const field of ['PatientName', 'PatientID', 'SeriesInstanceUID'])
      if (typeof series[0]!.sidecar[field] === 'string') expect(text).not.toContain(series[0]!.sidecar[field]);
  }, 60_000);

  it('through the built CLI: one JSON object per folder, a folder without DICOM refused with NOT_A_VOLUME', async () => {
    const run = promisify(execFile);
    const result = await run(process.execPath, [BIN, 'info', '--json', path.join(DICOM, 'tcia_vs_seg_001_t1_mpr_tra_3slices'), path.resolve(DICOM, '..', 'ixi')], { maxBuffer: 16 << 20 }).catch(
      (e: { stdout: string; stderr: string; code: number }) => e,
    );
    expect((result as { code?: number }).code).toBe(2);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ dicomFiles: 3, series: [{ seriesNumber: 2, shape: [512, 512, 3] }] });
    expect(lines[1]).toMatchObject({ error: { code: 'NOT_A_VOLUME' } });
    expect(result.stderr).toMatch(/folder without DICOM files/);
  }, 60_000);
});
