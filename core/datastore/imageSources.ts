// Where images came from: the DICOM provenance of images converted from DICOM series (issue #11), recorded
// in the import's transaction, and the check that a series is not imported twice.

import type { StudyHandle } from './layout.js';

/** What an import knows about a file's origin: its DICOM series key and provenance (JSON object). */
export interface ImageSource {
  readonly kind: 'dicom';
  /** SeriesInstanceUID + '/' + converted name; null when the series has no UID. */
  readonly seriesKey: string | null;
  readonly provenance: Record<string, unknown>;
}

/** The image already holding `seriesKey`, if any. */
export function imageForSeries(h: StudyHandle, seriesKey: string): string | undefined {
  const row = h.db.prepare('SELECT image_id FROM image_sources WHERE series_key = ?').get(seriesKey) as { image_id: string } | undefined;
  return row?.image_id;
}

/** Records `source` for `imageId` (inside the caller's transaction). */
export function recordImageSource(h: StudyHandle, imageId: string, source: ImageSource, createdAt: string): void {
  h.db
    .prepare('INSERT INTO image_sources (image_id, kind, series_key, provenance, created_at) VALUES (?, ?, ?, ?, ?)')
    .run(imageId, source.kind, source.seriesKey, JSON.stringify(source.provenance), createdAt);
}

/** The recorded source of `imageId`, or null (imported as NIfTI). */
export function getImageSource(h: StudyHandle, imageId: string): ImageSource | null {
  const row = h.db.prepare('SELECT kind, series_key, provenance FROM image_sources WHERE image_id = ?').get(imageId) as
    | { kind: 'dicom'; series_key: string | null; provenance: string }
    | undefined;
  return row === undefined ? null : { kind: row.kind, seriesKey: row.series_key, provenance: JSON.parse(row.provenance) as Record<string, unknown> };
}
