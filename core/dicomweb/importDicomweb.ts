// Series from a DICOMweb server into a study (issue #11): search (QIDO-RS), retrieve each series not yet in the
// study (WADO-RS, resumed after a dropped connection), convert with dcm2niix, import with provenance. Run it
// again and only new series come in. Messages name series and PatientID, never the patient's name.

import type { DicomImportReport } from '../api/index.js';
import { VoxlabError, isVoxlabError, type ErrorCode } from '../common/errors.js';
import { seriesImported, type Study } from '../datastore/index.js';
import { convertDicom } from '../dicom/index.js';
import { importConvertedSeries } from '../dicom/importSeries.js';
import { checkConnection, type DicomwebConnection } from './connection.js';
import { searchSeries, type RemoteSeries } from './qido.js';
import { retrieveSeries } from './wado.js';

export interface ImportDicomwebOptions {
  /** QIDO matching, DICOM keyword → value (e.g. `{ Modality: 'MR' }`); default: every series of every modality. */
  readonly filter?: Readonly<Record<string, string>>;
  /** Only studies from this day on (YYYYMMDD). */
  readonly since?: string;
  /** Only these SeriesInstanceUIDs (of those the search finds). */
  readonly series?: readonly string[];
  /** Who the import is recorded as. */
  readonly author: string;
  /** One line per step, for a log or a terminal (PHI-free). */
  readonly say?: (line: string) => void;
  /** Progress over the whole run: fraction of the instances to retrieve (null while unknown), and what happens. */
  readonly progress?: (fraction: number | null, message: string) => void;
  readonly signal?: AbortSignal;
}

/**
 * Modalities whose series are not images to read and label (PS3.3 C.7.3.1.1.1): segmentations, reports,
 * presentation states, key-object selections, RT structures and plans, registrations, documents, raw data.
 * They are skipped with the reason, never converted into a fake "scan" (a SEG sent back by voxlab sits in
 * the source study and would otherwise come back as a 1-bit volume).
 */
export const NOT_IMAGE_MODALITIES: ReadonlySet<string> = new Set(['SEG', 'SR', 'PR', 'KO', 'RTSTRUCT', 'RTPLAN', 'RTRECORD', 'RTDOSE', 'REG', 'DOC', 'RAW', 'PLAN', 'FID', 'RWV', 'AU', 'ECG', 'HD']);

/** Failures of one series that leave the others worth trying: the series is reported as skipped. */
const SERIES_FAILURES: ReadonlySet<ErrorCode> = new Set([
  'NOT_A_VOLUME',
  'REMOTE_ERROR',
  'TOO_LARGE',
  'BAD_VALUES',
  'NOT_NIFTI',
  'NIFTI_CORRUPT',
  'NIFTI_TRUNCATED',
  'NIFTI_UNSUPPORTED',
  'SHAPE_MISMATCH',
]);
/** Failures of the server that end the run (the next series would fail the same way). */
const RUN_FAILURES: ReadonlySet<ErrorCode> = new Set(['REMOTE_UNREACHABLE', 'REMOTE_REFUSED']);

/** `<SeriesNumber> <SeriesDescription>`, as reports name a series. */
export function seriesLabel(s: Pick<RemoteSeries, 'seriesNumber' | 'seriesDescription'>): string {
  return `${s.seriesNumber ?? '-'} ${s.seriesDescription ?? '(no description)'}`;
}

/**
 * A filter for lines that leave this module: each patient name of `rows` (as sent, `Family^Given`, and written
 * with spaces or `Given Family`) becomes `[patient]`. A safety net: the lines are built from series numbers,
 * descriptions, PatientID and counts, but dcm2niix's messages and server errors are passed on as they come.
 */
export function phiScrubber(rows: readonly Pick<RemoteSeries, 'patientName'>[]): (line: string) => string {
  const forms = new Set<string>();
  for (const { patientName } of rows) {
    const parts = (patientName ?? '').split('^').map((p) => p.trim()).filter((p) => p !== '');
    if (parts.length === 0) continue;
    forms.add(patientName!.trim());
    forms.add(parts.join(' '));
    forms.add(parts.join(', '));
    if (parts.length >= 2) forms.add([parts[1], parts[0], ...parts.slice(2)].join(' '));
    if (parts[0]!.length >= 3) forms.add(parts[0]!); // the family name alone
  }
  const sorted = [...forms].filter((f) => f.length >= 2).sort((a, b) => b.length - a.length);
  return (line) => sorted.reduce((l, f) => l.split(f).join('[patient]'), line);
}

/**
 * Imports into `study` each series the server at `conn` offers (matching filter/since/series) that the study does
 * not hold yet; one transaction per series. A series that fails on its own (no image data, unreadable answer) is
 * skipped with the reason and the run goes on. The server failing (REMOTE_UNREACHABLE, REMOTE_REFUSED) ends the
 * run: the series left are reported as skipped, and the error is thrown when nothing was imported. CANCELLED
 * when `signal` aborts (series imported before stay); BAD_ARGUMENT for bad options.
 */
export async function importFromDicomweb(study: Study, conn: DicomwebConnection, options: ImportDicomwebOptions): Promise<DicomImportReport> {
  const root = checkConnection(conn);
  if (typeof options.author !== 'string' || options.author.trim() === '') throw new VoxlabError('BAD_ARGUMENT', 'importFromDicomweb: give an author');
  const wanted = options.series === undefined ? null : new Set(options.series);
  const rows = await searchSeries(conn, {
    ...(options.filter !== undefined ? { filter: options.filter } : {}),
    ...(options.since !== undefined ? { since: options.since } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
  const scrub = phiScrubber(rows);
  const say = (line: string) => options.say?.(scrub(line));
  const progress = (fraction: number | null, message: string) => options.progress?.(fraction, scrub(message));
  const imported: { imageId: string; series: string }[] = [];
  const skipped: { series: string; reason: string }[] = [];
  const warnings: string[] = [];

  const todo: RemoteSeries[] = [];
  for (const row of rows) {
    if (wanted !== null && !wanted.has(row.seriesInstanceUid)) continue;
    if (seriesImported(study, row.seriesInstanceUid)) skipped.push({ series: seriesLabel(row), reason: 'already in the study' });
    else if (row.modality !== null && NOT_IMAGE_MODALITIES.has(row.modality.toUpperCase()))
      skipped.push({ series: seriesLabel(row), reason: `not an image series (modality ${row.modality}${row.modality.toUpperCase() === 'SEG' ? ': a segmentation' : ''})` });
    else todo.push(row);
  }
  for (const uid of wanted ?? []) {
    if (!rows.some((r) => r.seriesInstanceUid === uid)) skipped.push({ series: uid, reason: `not found on the PACS at ${root} (with the search given)` });
  }
  say(`${rows.length} series on ${root} match; ${todo.length} to import, ${skipped.length} skipped`);

  const knownTotal = todo.every((r) => r.instances !== null) ? todo.reduce((n, r) => n + r.instances!, 0) : null;
  let doneBefore = 0;
  for (const [i, row] of todo.entries()) {
    const label = seriesLabel(row);
    try {
      const report = await importOne(study, conn, row, options, {
        say,
        progress: (done, message) => progress(knownTotal === null || knownTotal === 0 ? null : Math.min(1, (doneBefore + done) / knownTotal), message),
      });
      imported.push(...report.imported.map((imageId) => ({ imageId, series: label })));
      skipped.push(...report.skipped.map((reason) => ({ series: label, reason: scrub(reason) })));
      warnings.push(...report.warnings.map((w) => scrub(`${label}: ${w}`)));
    } catch (e) {
      if (!isVoxlabError(e) || !(SERIES_FAILURES.has(e.code) || RUN_FAILURES.has(e.code))) throw e;
      skipped.push({ series: label, reason: scrub(e.message) });
      say(`skipped series ${label}: ${e.message}`);
      if (RUN_FAILURES.has(e.code)) {
        if (imported.length === 0) throw new VoxlabError(e.code, scrub(e.message), e.details, { cause: e });
        for (const rest of todo.slice(i + 1)) skipped.push({ series: seriesLabel(rest), reason: `not tried: ${scrub(e.message)}` });
        break;
      }
    } finally {
      doneBefore += row.instances ?? 0;
    }
  }
  progress(1, `done: ${imported.length} image(s) imported, ${skipped.length} series skipped`);
  return { imported, skipped, warnings };
}

/** Retrieves, converts and imports one series; image ids made, skip reasons and dcm2niix warnings. */
async function importOne(
  study: Study,
  conn: DicomwebConnection,
  row: RemoteSeries,
  options: ImportDicomwebOptions,
  report: { say: (line: string) => void; progress: (done: number, message: string) => void },
): Promise<{ imported: string[]; skipped: string[]; warnings: string[] }> {
  const label = seriesLabel(row);
  const who = row.patientId === null ? '' : `, patient ${row.patientId}`;
  report.say(`retrieving series ${label} (${row.modality ?? 'modality unknown'}, ${row.instances ?? '?'} instance(s)${who})`);
  const instances = await retrieveSeries(conn, row.studyInstanceUid, row.seriesInstanceUid, {
    expected: row.instances,
    onInstance: (done, total) => report.progress(done, `retrieving ${label}: ${done}/${total ?? '?'} instance(s)`),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
  if (instances.length === 0) throw new VoxlabError('NOT_A_VOLUME', `the PACS sent no instances for series ${label}`);
  report.say(`converting series ${label} (${instances.length} file(s)) with dcm2niix`);
  const { series: converted, log } = await convertDicom({ inputs: instances.map(({ name, bytes }) => ({ name, bytes })) }, options.signal === undefined ? {} : { signal: options.signal });
  const warnings = log.map((l) => l.trim()).filter((l) => /^warning/i.test(l));
  for (const w of warnings) report.say(`dcm2niix (${label}): ${w}`);
  if (options.signal?.aborted) throw new VoxlabError('CANCELLED', 'the DICOMweb import was cancelled');
  const result = await importConvertedSeries(study, converted, { author: options.author, origin: `from ${checkConnection(conn)}` });
  report.say(`imported series ${label}: ${result.imported.map((r) => r.id).join(', ') || 'nothing new'}`);
  return { imported: result.imported.map((r) => r.id), skipped: result.skipped.map((s) => s.reason), warnings };
}
