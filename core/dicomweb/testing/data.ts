// The DICOM series of ../shared/data/dicom that the DICOMweb tests load into Orthanc.

import { readdirSync } from 'node:fs';
import path from 'node:path';

/** ../shared/data/dicom (env VOXLAB_SHARED overrides the shared folder). */
export const SHARED_DICOM = path.join(process.env.VOXLAB_SHARED ?? path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared'), 'data', 'dicom');

/** The .dcm files of a folder of SHARED_DICOM, sorted. */
export function dicomFiles(folder: string): string[] {
  const dir = path.join(SHARED_DICOM, folder);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.dcm'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Siemens Trio T1 MPRAGE: 176 sagittal slices, series 19, patient ID 'Rorden Lab'. */
export const MPRAGE = 'trio_b17_t1_mprage';
/** Siemens Avanto T1: 3 axial 512x512 slices, series 2 (TCIA VS-SEG-001). */
export const TCIA_3 = 'tcia_vs_seg_001_t1_mpr_tra_3slices';
/** One enhanced multi-frame MR file (6 frames of fMRI). */
export const ENHANCED = 'edge_single_files';
/** Two echoes of a field map in one series, 36 files. */
export const FIELD_MAP = 'edge_trio_b17_gre_field_mapping_incomplete';
