// Where images came from: the DICOM provenance of images converted from DICOM series (issue #11), recorded
// in the import's transaction, and the check that a series is not imported twice.

import type { StudyHandle } from './layout.js';

/** What an import knows about a file's origin: its DICOM series key and provenance (JSON object). */
export interface ImageSource {
  readonly kind: 'dicom';
  /** SeriesInstanceUID + '/' + converted name; null when the series has no UID. */
  readonly seriesKey: string | null;
  readonly provenance: Record<string, unknown>;
  /**
   * The source instances and the patient/study attributes a derived object (DICOM SEG) must copy
   * (core/dicom/seg's SeriesRefs as JSON); PHI, kept in the database only, never in summaries or logs.
   */
  readonly refs?: Record<string, unknown> | null;
}

/** The image already holding `seriesKey`, if any. */
export function imageForSeries(h: StudyHandle, seriesKey: string): string | undefined {
  const row = h.db.prepare('SELECT image_id FROM image_sources WHERE series_key = ?').get(seriesKey) as { image_id: string } | undefined;
  return row?.image_id;
}

/** Whether any image of the study came from the DICOM series `seriesInstanceUid` (incremental PACS imports). */
export function seriesImported(h: StudyHandle, seriesInstanceUid: string): boolean {
  // series_key = UID + '/' + converted name; '/' never occurs in a UID (digits and dots).
  return h.db.prepare("SELECT 1 FROM image_sources WHERE substr(series_key, 1, ?) = ? || '/' LIMIT 1").get(seriesInstanceUid.length + 1, seriesInstanceUid) !== undefined;
}

/** Records `source` for `imageId` (inside the caller's transaction). */
export function recordImageSource(h: StudyHandle, imageId: string, source: ImageSource, createdAt: string): void {
  h.db
    .prepare('INSERT INTO image_sources (image_id, kind, series_key, provenance, refs, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(imageId, source.kind, source.seriesKey, JSON.stringify(source.provenance), source.refs == null ? null : JSON.stringify(source.refs), createdAt);
}

/** The source instance references of `imageId` (see ImageSource.refs); null when none were recorded. */
export function getImageRefs(h: StudyHandle, imageId: string): Record<string, unknown> | null {
  const row = h.db.prepare('SELECT refs FROM image_sources WHERE image_id = ?').get(imageId) as { refs: string | null } | undefined;
  return row?.refs == null ? null : (JSON.parse(row.refs) as Record<string, unknown>);
}

/** The recorded source of `imageId`, or null (imported as NIfTI). */
export function getImageSource(h: StudyHandle, imageId: string): ImageSource | null {
  const row = h.db.prepare('SELECT kind, series_key, provenance FROM image_sources WHERE image_id = ?').get(imageId) as
    | { kind: 'dicom'; series_key: string | null; provenance: string }
    | undefined;
  return row === undefined ? null : { kind: row.kind, seriesKey: row.series_key, provenance: JSON.parse(row.provenance) as Record<string, unknown> };
}
