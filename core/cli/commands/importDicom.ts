// `voxlab import DICOM_DIR --study S`: every DICOM series under a folder converted (dcm2niix, WASM) and
// imported as a copied NIfTI image with its provenance (core/dicom/importSeries.ts).

import type { ImportResult, Study } from '../../datastore/index.js';
import { convertDicom, findDicomFiles } from '../../dicom/index.js';
import { importConvertedSeries } from '../../dicom/importSeries.js';

/**
 * Imports the DICOM series under `dir` into `study`; null when `dir` holds no DICOM file (the caller imports
 * NIfTI then).
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
  const { series, log } = await convertDicom({ files });
  for (const line of log.filter((l) => /^warning/i.test(l.trim()))) say(`dcm2niix: ${line.trim()}`);
  return importConvertedSeries(study, series, { author: options.author, origin: `in ${dir}` });
}
