// Converted DICOM series into a study: each series written as a gzipped NIfTI into a staging folder inside
// the study, imported as a copy with its provenance and source instance references (for DICOM SEG) in the
// same transaction; a series already in the study is skipped, not doubled. Shared by folder, upload and
// DICOMweb imports (issue #11).

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { importFolder, type ImageSource, type ImportResult, type Study } from '../datastore/index.js';
import type { ConvertedSeries } from './dcm2niix.js';

export interface ImportSeriesOptions {
  readonly author: string;
  /** Where the series came from, for messages ("in /media/cd", "from http://pacs/dicom-web"). */
  readonly origin: string;
}

/** importFolder's result, each row also carrying the converted series' name (`<SeriesNumber>_<Description>`). */
export type SeriesImportResult = Omit<ImportResult, 'imported' | 'skipped'> & {
  readonly imported: readonly (ImportResult['imported'][number] & { readonly series: string })[];
  readonly skipped: readonly (ImportResult['skipped'][number] & { readonly series: string })[];
};

/** Imports `series` into `study`; the result's `file` says `DICOM series <name> <origin>`, `series` the name. */
export async function importConvertedSeries(study: Study, series: readonly ConvertedSeries[], options: ImportSeriesOptions): Promise<SeriesImportResult> {
  const staging = await mkdtemp(path.join(study.dir, `.dicom-import-${process.pid}-`));
  try {
    const sources = new Map<string, ImageSource>();
    for (const s of series) {
      const file = path.join(staging, `${s.name}.nii.gz`);
      await writeFile(file, gzipSync(s.nifti, { level: 6 }));
      const uid = s.provenance.seriesInstanceUid;
      sources.set(file, {
        kind: 'dicom',
        seriesKey: uid === null ? null : `${uid}/${s.name}`,
        provenance: { ...s.provenance, convertedName: s.name },
        refs: s.refs as unknown as Record<string, unknown> | null,
      });
    }
    const result = await importFolder(study, staging, { copy: true, author: options.author, sources });
    // The staging files are gone after this: name the series and where they came from instead.
    const name = (file: string) => path.basename(file, '.nii.gz');
    const origin = (file: string) => `DICOM series ${name(file)} ${options.origin}`;
    return {
      ...result,
      imported: result.imported.map((i) => ({ ...i, file: origin(i.file), series: name(i.file) })),
      skipped: result.skipped.map((x) => ({ ...x, file: origin(x.file), series: name(x.file) })),
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
