// The PACS dialog's table and query: series found by pacs.search as rows for people (dates as YYYY-MM-DD,
// names without DICOM's ^ separators, series as "number · description"), newest study first; which rows
// can be imported (scans not yet in the study: not a SEG sent back earlier, a report or a presentation state)
// and start selected; the dialog's fields checked and turned into the contract's url / filter / since.

import type { Json, PacsSeries } from '../../../core/api/index.js';
import type { PacsForm } from '../../stores/usePacsStore.js';

/** One row of the search table. */
export interface PacsRow {
  readonly uid: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly studyDate: string;
  readonly studyDescription: string;
  readonly modality: string;
  readonly series: string;
  readonly instances: string;
  /** Already in this study: shown as such, never selected. */
  readonly inStudy: boolean;
  /** The modality holds no image volume (NOT_A_SCAN): shown, never selected. */
  readonly notAScan: boolean;
  /** For sorting: YYYYMMDD or ''. */
  readonly sortDate: string;
  readonly seriesNumber: number;
}

/**
 * Modalities (DICOM PS3.3 C.7.3.1.1.1) of series that hold no image volume: segmentations (a SEG sent back by
 * "Send SEG to PACS" lands in the source's study), structured reports, presentation states, key object
 * selections, RT structure sets / plans / records, registrations, fiducials, documents, waveforms. voxlab
 * imports scans; dcm2niix would turn a SEG into a 1-bit "scan".
 */
export const NOT_A_SCAN: ReadonlySet<string> = new Set(['SEG', 'SR', 'PR', 'KO', 'RTSTRUCT', 'RTPLAN', 'RTRECORD', 'REG', 'FID', 'DOC', 'AU', 'ECG', 'HD']);

const notAScan = (modality: string | null): boolean => modality !== null && NOT_A_SCAN.has(modality.trim().toUpperCase());

/** 'YYYYMMDD' as 'YYYY-MM-DD'; anything else as given ('' for null). */
export function dicomDate(value: string | null): string {
  if (value === null) return '';
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(value.trim());
  return m === null ? value.trim() : `${m[1]}-${m[2]}-${m[3]}`;
}

/** A DICOM person name ('Doe^Jane^^Dr') as 'Doe, Jane, Dr' (empty components dropped). */
export function personName(value: string | null): string {
  if (value === null) return '';
  const parts = value.split('=')[0]!.split('^').map((p) => p.trim()).filter((p) => p !== '');
  return parts.join(', ');
}

/** The rows for `series`: newest study first, then patient, study, series number. */
export function pacsRows(series: readonly PacsSeries[]): PacsRow[] {
  const rows = series.map(
    (s): PacsRow => ({
      uid: s.seriesInstanceUid,
      patientId: s.patientId ?? '',
      patientName: personName(s.patientName),
      studyDate: dicomDate(s.studyDate),
      studyDescription: s.studyDescription ?? '',
      modality: s.modality ?? '',
      series: [s.seriesNumber, s.seriesDescription].filter((x) => x !== null && x !== '').join(' · '),
      instances: s.instances === null ? '' : String(s.instances),
      inStudy: s.imported,
      notAScan: notAScan(s.modality),
      sortDate: /^\d{8}$/.test(s.studyDate ?? '') ? s.studyDate! : '',
      seriesNumber: s.seriesNumber ?? Number.MAX_SAFE_INTEGER,
    }),
  );
  return rows.sort(
    (a, b) =>
      b.sortDate.localeCompare(a.sortDate) ||
      a.patientId.localeCompare(b.patientId) ||
      a.studyDescription.localeCompare(b.studyDescription) ||
      a.seriesNumber - b.seriesNumber ||
      a.uid.localeCompare(b.uid),
  );
}

/** Whether "Import selected" may import `series`: a scan not yet in the study. */
export function importable(series: Pick<PacsSeries, 'imported' | 'modality'>): boolean {
  return !series.imported && !notAScan(series.modality);
}

/** The series selected after a search: every importable one. */
export function initialSelection(series: readonly PacsSeries[]): string[] {
  return series.filter(importable).map((s) => s.seriesInstanceUid);
}

/** What pacs.search / pacs.import take from the dialog. */
export interface PacsQuery {
  readonly url: string;
  readonly authorization?: string;
  readonly filter?: Json;
  readonly since?: string;
}

/**
 * The dialog's fields as a query, or the problem in words: the URL must be http(s); the modality is one DICOM
 * code (letters, digits, '_', up to 16, e.g. MR; empty = all modalities); the date is YYYY-MM-DD (empty = any).
 */
export function pacsQuery(form: PacsForm): { query: PacsQuery } | { problem: string } {
  const url = form.url.trim();
  if (url === '') return { problem: 'Enter the DICOMweb URL of the PACS (for example http://localhost:8042/dicom-web).' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { problem: `"${url}" is not a URL: enter one like http://localhost:8042/dicom-web.` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return { problem: `The DICOMweb URL must start with http:// or https:// (got ${parsed.protocol}).` };
  const modality = form.modality.trim().toUpperCase();
  if (modality !== '' && !/^[A-Z0-9_]{1,16}$/.test(modality))
    return { problem: `"${form.modality.trim()}" is not a DICOM modality code: use one like MR, CT or PT, or leave it empty for all.` };
  const since = form.since.trim();
  if (since !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(since)) return { problem: `"${since}" is not a date: use YYYY-MM-DD.` };
  const authorization = form.authorization.trim();
  return {
    query: {
      url: url.replace(/\/+$/, ''),
      ...(authorization !== '' ? { authorization } : {}),
      ...(modality !== '' ? { filter: { Modality: modality } } : {}),
      ...(since !== '' ? { since: since.replaceAll('-', '') } : {}),
    },
  };
}
