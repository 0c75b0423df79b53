// Issue #11, must-show 1 (first step): every series of ../shared/data/dicom_qa (dcm2niix's QA corpus) that
// Debian's dcm2niix converted (ref_debian/, listed in MANIFEST.tsv) comes out of our engine with the same
// name, shape, affine (<= 1e-3 mm) and voxels (<= 1e-4 relative), for every frame. Plus the folder scan
// (any names, nesting) and refusals in words.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readNiftiBuffer } from '../io/readNiftiBuffer.js';
import { readNifti, readNiftiHeader } from '../io/readNifti.js';
import { convertDicomFiles, tidyLog } from './dcm2niix.js';
import { findDicomFiles } from './findDicomFiles.js';

const QA = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'dicom_qa');

/** ref_debian rows of the corpus manifest, grouped by the DICOM folder they came from. */
function referencesByFolder(): Map<string, string[]> {
  const [head, ...rows] = readFileSync(path.join(QA, 'MANIFEST.tsv'), 'utf8').trimEnd().split('\n');
  const col = (name: string) => head!.split('\t').indexOf(name);
  const byFolder = new Map<string, string[]>();
  for (const row of rows.map((r) => r.split('\t')).filter((r) => r[col('kind')] === 'ref_debian')) {
    const folder = row[col('dicom_folder')]!;
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), row[col('nifti')]!]);
  }
  return byFolder;
}

/**
 * Where Debian's dcm2niix is wrong and upstream's reference is right, compare with upstream's Ref/ output:
 * Debian's older dcm2niix does not sign-extend 12-bit signed pixels (High Bit 11, Pixel Representation 1:
 * dcm_qa_12bit's README), so it reads 0..4095 where upstream (and the WASM build) read -2048..2047.
 */
const UPSTREAM_IS_RIGHT: Readonly<Record<string, string>> = {
  'dcm_qa_12bit/ref_debian/4_FMRI_AX_ASC.nii.gz': 'dcm_qa_12bit/Ref/4.nii',
};

const temp: string[] = [];
afterAll(() => temp.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** `bytes` as a file in a temp folder (readNiftiHeader reads files). */
function writeTemp(bytes: Uint8Array): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'voxlab-dicom-out-'));
  temp.push(dir);
  const file = path.join(dir, 'series.nii');
  writeFileSync(file, bytes);
  return file;
}

describe('dcm2niix (WASM) against Debian dcm2niix on the QA corpus', () => {
  it.each([...referencesByFolder()])('%s', async (folder, refs) => {
    const { files } = await findDicomFiles(path.join(QA, folder));
    const { series } = await convertDicomFiles(files);
    const byName = new Map(series.map((s) => [s.name, s]));
    for (const ref of refs) {
      const name = path.basename(ref).replace(/\.nii(\.gz)?$/, '');
      const ours = byName.get(name);
      expect(ours, `${name} not produced; got ${[...byName.keys()].join(', ')}`).toBeDefined();
      const refFile = path.join(QA, UPSTREAM_IS_RIGHT[ref] ?? ref);
      const expected = await readNifti(refFile);
      const { frames } = await readNiftiHeader(refFile);
      expect((await readNiftiHeader(ours!.nifti.length > 0 ? writeTemp(ours!.nifti) : '')).frames, `${name} frames`).toBe(frames);
      for (const frame of new Set([0, frames - 1])) {
        const want = frame === 0 ? expected : await readNifti(refFile, { frame });
        const got = readNiftiBuffer(ours!.nifti, { frame, name });
        expect(got.shape, name).toEqual(want.shape);
        got.affine.forEach((v, i) => expect(Math.abs(v - want.affine[i]!), `${name} affine[${i}]`).toBeLessThanOrEqual(1e-3));
        let worst = 0;
        for (let i = 0; i < want.data.length; i++) {
          const scale = Math.max(1, Math.abs(want.data[i]!));
          worst = Math.max(worst, Math.abs(got.data[i]! - want.data[i]!) / scale);
        }
        expect(worst, `${name} frame ${frame} voxels`).toBeLessThanOrEqual(1e-4);
      }
      expect(ours!.sidecar.SeriesNumber).toBe(Number(name.split('_')[0]));
    }
  }, 120_000);
});

describe('finding and refusing', () => {
  it('finds DICOM files by their preamble, whatever their names, and passes over the rest', async () => {
    const { files, skipped } = await findDicomFiles(path.join(QA, 'dcm_qa_ge', 'In'));
    expect(files.length).toBe(144); // 130 MPRAGE files named i*.MRDC.* and 14 DWI files
    expect(files.every((f) => !f.endsWith('.txt'))).toBe(true);
    expect(skipped).toBeGreaterThanOrEqual(0);
  });

  it('says so when nothing converts, and when a folder is missing', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'voxlab-dicom-'));
    temp.push(dir);
    const notDicom = path.join(dir, 'notes.dcm');
    writeFileSync(notDicom, Buffer.alloc(400, 1));
    await expect(convertDicomFiles([notDicom])).rejects.toMatchObject({ code: 'NOT_A_VOLUME' });
    await expect(convertDicomFiles([path.join(dir, 'gone.dcm')])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(findDicomFiles(path.join(dir, 'nope'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('dcm2niix messages', () => {
  it('name the files as the user has them, without the in-memory paths or MRtrix advice', async () => {
    const dir = path.join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'dicom', 'edge_trio_b17_gre_field_mapping_incomplete');
    const { files } = await findDicomFiles(dir);
    const { log } = await convertDicomFiles(files);
    expect(log.length).toBeGreaterThan(0);
    expect(log.filter((l) => l.includes('/in/'))).toEqual([]);
    expect(log.filter((l) => /dwidenoise|mrdegibbs/.test(l))).toEqual([]);
  }, 60_000);

  it('map the in-memory names back to the uploaded ones', () => {
    const log = [
      'Warning: Unable to determine slice direction of /in/1_1.3.6.1.4.1.9328.50.dcm',
      'Warning: Partial Fourier: this may be unsuitable for dwidenoise/mrdegibbs',
      'Convert 3 DICOM as /out/2_t1 (512x512x3x1)',
    ];
    tidyLog(log, [{ name: 'IM0001' }, { name: '1.3.6.1.4.1.9328.50.dcm' }]);
    expect(log).toEqual(['Warning: Unable to determine slice direction of 1.3.6.1.4.1.9328.50.dcm', 'Convert 3 DICOM as /out/2_t1 (512x512x3x1)']);
  });
});
