// `voxlab import DICOM_DIR --study S`: every DICOM series under a folder converted (dcm2niix, WASM) and
// imported as a copied NIfTI image, its provenance (patient, study and series UIDs, description, modality,
// date) recorded with it in the same transaction; a series already in the study is skipped, not doubled.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { importFolder, type ImageSource, type ImportResult, type Study } from '../../datastore/index.js';
import { convertDicomFiles, findDicomFiles } from '../../dicom/index.js';

/**
 * Imports the DICOM series under `dir` into `study`; null when `dir` holds no DICOM file (the caller imports
 * NIfTI then). The converted files pass through a temporary folder inside the study, removed afterwards.
 */
export async function importDicomFolder(
  study: Study,
  dir: string,
  options: { author: string; say?: (line: string) => void },
): Promise<ImportResult | null> {
  const say = options.say ?? (() => undefined);
  const { files } = await findDicomFiles(dir);
  if (files.length === 0) return null;
  say(`found ${files.length} DICOM file(s); converting with dcm2niix...`);
  const { series, log } = await convertDicomFiles(files);
  for (const line of log.filter((l) => /^warning/i.test(l.trim()))) say(`dcm2niix: ${line.trim()}`);
  const staging = await mkdtemp(path.join(study.dir, '.dicom-import-'));
  try {
    const sources = new Map<string, ImageSource>();
    for (const s of series) {
      const file = path.join(staging, `${s.name}.nii.gz`);
      await writeFile(file, gzipSync(s.nifti, { level: 6 }));
      const uid = s.provenance.seriesInstanceUid;
      sources.set(file, { kind: 'dicom', seriesKey: uid === null ? null : `${uid}/${s.name}`, provenance: { ...s.provenance, convertedName: s.name } });
    }
    const result = await importFolder(study, staging, { copy: true, author: options.author, sources });
    // The staging files are gone after this: name the series and the folder they came from instead.
    const origin = (file: string) => `DICOM series ${path.basename(file, '.nii.gz')} in ${dir}`;
    return {
      ...result,
      imported: result.imported.map((i) => ({ ...i, file: origin(i.file) })),
      skipped: result.skipped.map((x) => ({ ...x, file: origin(x.file) })),
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
