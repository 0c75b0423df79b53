// The reader under fuzzing: 300 damaged versions of small real files must each read or throw a
// VoxlabError within the time limit. The 10,000-case run is `npm run fuzz` (scripts/fuzz.ts).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fuzzNifti, type FuzzFile } from './fuzz.js';

const DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/** Small files covering gzip and plain, both byte orders, NIfTI-1/2, 4D, scaling, complex, a pair, CIFTI. */
const FILES = [
  'edge_cases/niivue_minimal.nii.gz',
  'nifti/nibabel_anatomical.nii',
  'nifti/nibabel_example_nifti2.nii.gz',
  'nifti/nibabel_functional.nii',
  'nifti/nibabel_reoriented_anat_moved.nii',
  'nifti/dipy_aniso_vox.nii.gz',
  'nifti/niivue_complex.nii.gz',
  'edge_cases/niivue_Conte69.MyelinAndCorrThickness.32k_fs_LR.dtseries.nii',
  'ixi/t1/IXI012-HH-1211_T1.nii.gz',
];

function load(): FuzzFile[] {
  const files: FuzzFile[] = FILES.map((name) => ({ name, bytes: readFileSync(`${DATA}${name}`) }));
  files.push({
    name: 'edge_cases/niivue_ras.hdr',
    bytes: readFileSync(`${DATA}edge_cases/niivue_ras.hdr`),
    imgBytes: readFileSync(`${DATA}edge_cases/niivue_ras.img`),
  });
  return files;
}

describe('fuzzNifti', () => {
  it('300 damaged real files: every case reads or throws a VoxlabError in time', () => {
    const report = fuzzNifti({ cases: 300, seed: 20260101, files: load() });
    expect(report.failures).toEqual([]);
    expect(report.cases).toBe(300);
    expect(report.ok + Object.values(report.byCode).reduce((a, b) => a + b, 0)).toBe(300);
    // The mutations reach the reader's own checks, not only zlib's.
    for (const code of ['NOT_NIFTI', 'NIFTI_TRUNCATED', 'NIFTI_CORRUPT', 'NOT_A_VOLUME'])
      expect(report.byCode[code] ?? 0, code).toBeGreaterThan(0);
    expect(report.ok).toBeGreaterThan(0);
  });

  it('repeats exactly for a seed, also on its built-in synthetic files', () => {
    const a = fuzzNifti({ cases: 60, seed: 7 });
    const b = fuzzNifti({ cases: 60, seed: 7 });
    expect(a.failures).toEqual([]);
    expect(b.byCode).toEqual(a.byCode);
    expect(b.ok).toBe(a.ok);
  });
});
