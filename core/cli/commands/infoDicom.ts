// `voxlab info DICOM_DIR [--json]`: the series dcm2niix finds under a folder (issue #11), one per volume it
// makes: name, series number and description, modality, shape, voxel size, orientation, and dcm2niix's
// warnings. No PHI: neither the patient nor the UIDs are printed (the study database keeps them on import).

import { convertDicom, findDicomFiles } from '../../dicom/index.js';
import { readNiftiHeaderBuffer } from '../../io/readNiftiBuffer.js';

/** One volume dcm2niix makes from the folder. */
export interface DicomSeriesInfo {
  /** `<SeriesNumber>_<SeriesDescription>` and dcm2niix's suffixes: the name `voxlab convert` writes. */
  readonly name: string;
  readonly seriesNumber: number | null;
  readonly seriesDescription: string | null;
  readonly modality: string | null;
  readonly manufacturer: string | null;
  /** [nx, ny, nz] voxels, and volumes when more than one. */
  readonly shape: readonly number[];
  /** mm. */
  readonly voxelSize: readonly [number, number, number];
  /** nibabel axis codes of the NIfTI dcm2niix writes, e.g. 'LAS'. */
  readonly orientation: string;
}

export interface DicomFolderInfo {
  readonly folder: string;
  readonly dicomFiles: number;
  /** Files passed over (DICOMDIR, non-DICOM). */
  readonly otherFiles: number;
  readonly series: readonly DicomSeriesInfo[];
  /** dcm2niix's warning lines. */
  readonly warnings: readonly string[];
}

/** What `voxlab info` says of a DICOM folder; null when it holds no DICOM file. */
export async function dicomFolderInfo(dir: string): Promise<DicomFolderInfo | null> {
  const { files, skipped } = await findDicomFiles(dir);
  if (files.length === 0) return null;
  const { series, log } = await convertDicom({ files });
  return {
    folder: dir,
    dicomFiles: files.length,
    otherFiles: skipped,
    series: series.map((s) => {
      const h = readNiftiHeaderBuffer(s.nifti, { name: s.name });
      return {
        name: s.name,
        seriesNumber: s.provenance.seriesNumber,
        seriesDescription: s.provenance.seriesDescription,
        modality: s.provenance.modality,
        manufacturer: s.provenance.manufacturer,
        shape: h.frames > 1 ? [...h.shape, h.frames] : [...h.shape],
        voxelSize: h.header.pixdim,
        orientation: h.axcodes,
      };
    }),
    warnings: log.map((l) => l.trim()).filter((l) => /^warning/i.test(l)),
  };
}

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(4));

/** The human-readable form. */
export function formatDicomFolderInfo(info: DicomFolderInfo): string {
  const lines = [`folder      ${info.folder}`, `files       ${info.dicomFiles} DICOM${info.otherFiles > 0 ? `, ${info.otherFiles} other (passed over)` : ''}`];
  for (const s of info.series)
    lines.push(`series      ${s.name}: ${s.modality ?? '?'}, ${s.shape.join(' x ')} voxels of ${s.voxelSize.map(fmt).join(' x ')} mm, ${s.orientation}`);
  for (const w of info.warnings) lines.push(`warning     ${w}`);
  return lines.join('\n');
}
