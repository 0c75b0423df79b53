// QIDO-RS searches (DICOM PS3.18 section 10.6): the series a server offers, with the attributes the import and
// the study list need, and the instances of one series. Results are paged with limit/offset.

import type { PacsSeries } from '../api/index.js';
import { VoxlabError } from '../common/errors.js';
import { checkConnection, endpoint, type DicomwebConnection } from './connection.js';
import { readJson, send, withRetries } from './http.js';

/** A series a DICOMweb server offers: PacsSeries without whether a study holds it. PatientName is PHI: never log it. */
export type RemoteSeries = Omit<PacsSeries, 'imported'>;

export interface SearchSeriesOptions {
  /** Attribute matching, DICOM keyword → value (`{ Modality: 'MR' }`; `*` and `?` wildcards as the server allows). */
  readonly filter?: Readonly<Record<string, string>>;
  /** Only studies from this day on (YYYYMMDD): a StudyDate range `YYYYMMDD-`. */
  readonly since?: string;
  readonly signal?: AbortSignal;
  /** Results asked for per request (limit); default 500. A server may cap it lower: paging goes on then. */
  readonly pageSize?: number;
}

/** Tags (PS3.6) of the attributes read from QIDO answers. */
const TAG = {
  StudyInstanceUID: '0020000D',
  SeriesInstanceUID: '0020000E',
  SOPInstanceUID: '00080018',
  PatientID: '00100020',
  PatientName: '00100010',
  StudyDate: '00080020',
  StudyDescription: '00081030',
  Modality: '00080060',
  SeriesNumber: '00200011',
  SeriesDescription: '0008103E',
  NumberOfSeriesRelatedInstances: '00201209',
} as const;

const SERIES_FIELDS = [
  'PatientID',
  'PatientName',
  'StudyDate',
  'StudyDescription',
  'Modality',
  'SeriesNumber',
  'SeriesDescription',
  'NumberOfSeriesRelatedInstances',
  'StudyInstanceUID',
  'SeriesInstanceUID',
] as const;

/** Checks a YYYYMMDD date that exists on the calendar; BAD_ARGUMENT otherwise. */
export function checkDicomDate(value: string, name = 'since'): void {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(typeof value === 'string' ? value : '');
  const ok = m !== null && (() => {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(y, mo - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
  })();
  if (!ok) throw new VoxlabError('BAD_ARGUMENT', `${name} must be a real date written YYYYMMDD (e.g. 20240131), got '${String(value)}'`);
}

/** The QIDO query of a series search; BAD_ARGUMENT for keys that are not DICOM keywords, a bad date, or both `since` and StudyDate. */
export function seriesQuery(options: Pick<SearchSeriesOptions, 'filter' | 'since'>): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(options.filter ?? {})) {
    if (!/^[A-Z][A-Za-z]*$/.test(key))
      throw new VoxlabError('BAD_ARGUMENT', `filter: '${key}' is not a DICOM keyword (letters only, starting with a capital, e.g. Modality)`);
    if (typeof value !== 'string' || value === '') throw new VoxlabError('BAD_ARGUMENT', `filter: give a value for ${key} (e.g. ${key}=MR)`);
    query.append(key, value);
  }
  if (options.since !== undefined) {
    checkDicomDate(options.since);
    if (query.has('StudyDate')) throw new VoxlabError('BAD_ARGUMENT', 'give either since or a StudyDate filter, not both');
    query.append('StudyDate', `${options.since}-`);
  }
  return query;
}

/** The first value of `tag` in a DICOM JSON object (PS3.18 F.2); a person name as its Alphabetic form. */
function first(row: Record<string, unknown>, tag: string): unknown {
  const attr = row[tag] as { Value?: unknown[] } | undefined;
  const value = Array.isArray(attr?.Value) ? attr.Value[0] : undefined;
  if (typeof value === 'object' && value !== null && 'Alphabetic' in value) return (value as { Alphabetic?: unknown }).Alphabetic;
  return value;
}
const text = (row: Record<string, unknown>, tag: string): string | null => {
  const v = first(row, tag);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null;
};
const int = (row: Record<string, unknown>, tag: string): number | null => {
  const v = first(row, tag);
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};

/**
 * Every row of a QIDO search, paging with limit/offset until a page comes back short (and without the Warning
 * header servers use to say they capped it) or brings nothing new. REMOTE_ERROR for an answer that is not a
 * JSON array; errors of withRetries.
 */
async function qidoAll(conn: DicomwebConnection, path: string, query: URLSearchParams, what: string, signal: AbortSignal | undefined, pageSize: number, key: (row: Record<string, unknown>) => string | null): Promise<Record<string, unknown>[]> {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new VoxlabError('BAD_ARGUMENT', `pageSize must be a whole number of at least 1, got ${pageSize}`);
  const rows = new Map<string, Record<string, unknown>>();
  for (let offset = 0; ; ) {
    const q = new URLSearchParams(query);
    q.set('limit', String(pageSize));
    q.set('offset', String(offset));
    const url = `${endpoint(conn, path)}?${q.toString()}`;
    const { page, capped } = await withRetries(conn, what, signal, async (attempt) => {
      const res = await send(conn, url, { headers: { Accept: 'application/dicom+json' } }, attempt);
      const body = await readJson(conn, res, `an answer to ${what}`, attempt);
      if (body !== null && !Array.isArray(body)) throw new VoxlabError('REMOTE_ERROR', `the PACS at ${checkConnection(conn)} answered ${what} with JSON that is not a list`);
      return { page: (body ?? []) as Record<string, unknown>[], capped: res.headers.get('warning') !== null };
    });
    let fresh = 0;
    for (const row of page) {
      const k = key(row);
      if (k !== null && !rows.has(k)) {
        rows.set(k, row);
        fresh++;
      }
    }
    offset += page.length;
    if (fresh === 0 || (page.length < pageSize && !capped)) return [...rows.values()];
  }
}

/**
 * The series `conn` offers that match `options` (every modality unless filtered), by QIDO-RS
 * `GET {root}/series`. Rows without Study/SeriesInstanceUID are left out (they cannot be retrieved).
 * BAD_ARGUMENT for bad options; REMOTE_REFUSED, REMOTE_ERROR, REMOTE_UNREACHABLE, CANCELLED from the exchange.
 */
export async function searchSeries(conn: DicomwebConnection, options: SearchSeriesOptions = {}): Promise<RemoteSeries[]> {
  const query = seriesQuery(options);
  for (const field of SERIES_FIELDS) query.append('includefield', field);
  const rows = await qidoAll(conn, 'series', query, 'the series search', options.signal, options.pageSize ?? 500, (r) => text(r, TAG.SeriesInstanceUID));
  return rows.flatMap((r): RemoteSeries[] => {
    const studyInstanceUid = text(r, TAG.StudyInstanceUID);
    const seriesInstanceUid = text(r, TAG.SeriesInstanceUID);
    if (studyInstanceUid === null || seriesInstanceUid === null) return [];
    return [
      {
        studyInstanceUid,
        seriesInstanceUid,
        patientId: text(r, TAG.PatientID),
        patientName: text(r, TAG.PatientName),
        studyDate: text(r, TAG.StudyDate),
        studyDescription: text(r, TAG.StudyDescription),
        modality: text(r, TAG.Modality),
        seriesNumber: int(r, TAG.SeriesNumber),
        seriesDescription: text(r, TAG.SeriesDescription),
        instances: int(r, TAG.NumberOfSeriesRelatedInstances),
      },
    ];
  });
}

/** The SOPInstanceUIDs of one series, by QIDO-RS `GET {root}/studies/{study}/series/{series}/instances`. Errors as searchSeries. */
export async function searchInstances(conn: DicomwebConnection, studyUid: string, seriesUid: string, options: { signal?: AbortSignal; pageSize?: number } = {}): Promise<string[]> {
  checkUid(studyUid, 'studyUid');
  checkUid(seriesUid, 'seriesUid');
  const query = new URLSearchParams([['includefield', 'SOPInstanceUID']]);
  const path = `studies/${studyUid}/series/${seriesUid}/instances`;
  const rows = await qidoAll(conn, path, query, `the instance search of series ${seriesUid}`, options.signal, options.pageSize ?? 1000, (r) => text(r, TAG.SOPInstanceUID));
  return rows.map((r) => text(r, TAG.SOPInstanceUID)!);
}

/** BAD_ARGUMENT unless `uid` is a DICOM UID (digits and dots, at most 64 characters: PS3.5 section 9.1). */
export function checkUid(uid: string, name: string): void {
  if (typeof uid !== 'string' || !/^[0-9]+(\.[0-9]+)*$/.test(uid) || uid.length > 64)
    throw new VoxlabError('BAD_ARGUMENT', `${name} must be a DICOM UID (digits and dots, at most 64 characters), got '${String(uid).slice(0, 80)}'`);
}
