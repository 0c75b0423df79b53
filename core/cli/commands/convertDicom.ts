// `voxlab convert DICOM_DIR OUTDIR/`: every DICOM series under a folder as NIfTI (.nii.gz) with a JSON
// sidecar, named `<SeriesNumber>_<SeriesDescription>` like `dcm2niix -f %s_%d`; the sidecars carry no PHI
// unless --with-phi.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { VoxlabError } from '../../common/errors.js';
import { convertDicomFiles, findDicomFiles, withoutPhi } from '../../dicom/index.js';
import { writeFileAtomic } from '../../io/atomicWrite.js';

/** What was written: one entry per series. */
export interface WrittenSeries {
  readonly name: string;
  readonly nifti: string;
  readonly sidecar: string;
}

/**
 * Converts every series of the DICOM files under `input` into `outDir` (created if missing). NOT_A_VOLUME
 * when the folder holds no DICOM image; the messages go to `say` (a line each), never patient data.
 */
export async function convertDicomFolder(
  input: string,
  outDir: string,
  options: { withPhi?: boolean; say?: (line: string) => void } = {},
): Promise<WrittenSeries[]> {
  const say = options.say ?? (() => undefined);
  const { files, skipped } = await findDicomFiles(input);
  if (files.length === 0)
    throw new VoxlabError('NOT_A_VOLUME', `No DICOM files under ${input} (${skipped} other file(s) passed over)`, { path: input });
  say(`found ${files.length} DICOM file(s)${skipped > 0 ? `, passed over ${skipped} other file(s)` : ''}; converting with dcm2niix...`);
  const { series, log } = await convertDicomFiles(files);
  // dcm2niix's warnings (missing or uneven slices, equalised spacing, skipped files) say what it changed.
  for (const line of log.filter((l) => /^warning/i.test(l.trim()))) say(`dcm2niix: ${line.trim()}`);
  await mkdir(outDir, { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    throw new VoxlabError('IO_ERROR', `Cannot make ${outDir}: ${e.message}`, { path: outDir }, { cause: e });
  });
  const written: WrittenSeries[] = [];
  for (const s of series) {
    const nifti = path.join(outDir, `${s.name}.nii.gz`);
    const sidecar = path.join(outDir, `${s.name}.json`);
    await writeFileAtomic(nifti, gzipSync(s.nifti, { level: 6 }));
    await writeFileAtomic(sidecar, `${JSON.stringify(options.withPhi === true ? s.sidecar : withoutPhi(s.sidecar), null, 2)}\n`);
    written.push({ name: s.name, nifti, sidecar });
    say(`wrote ${nifti}`);
  }
  return written;
}
