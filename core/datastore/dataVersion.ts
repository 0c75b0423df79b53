// A short fingerprint of a study's current human labels, stored with each trained model so that a result can
// be tied to the exact labels it was trained on, and a stale model recognised.

import { createHash } from 'node:crypto';
import type { StudyHandle } from './layout.js';

/**
 * 'v1-' + 16 hex digits of SHA-256 over (image id, current class label version and value, current labelmap
 * version) of every image, in id order. Changes whenever an image is added or a current label changes;
 * does not change for conflict versions or predictions.
 */
export function dataVersion(h: StudyHandle): string {
  const rows = h.db
    .prepare(
      `SELECT i.id,
              (SELECT MAX(version) FROM class_labels c WHERE c.image_id = i.id AND c.conflict = 0) AS cv,
              (SELECT MAX(version) FROM labelmaps m WHERE m.image_id = i.id AND m.conflict = 0) AS mv
       FROM images i ORDER BY i.id`,
    )
    .all() as { id: string; cv: number | null; mv: number | null }[];
  const label = h.db.prepare('SELECT label FROM class_labels WHERE image_id = ? AND version = ?');
  const hash = createHash('sha256');
  for (const r of rows) {
    const value = r.cv === null ? null : (label.get(r.id, r.cv) as { label: string | null }).label;
    hash.update(JSON.stringify([r.id, r.cv ?? 0, value, r.mv ?? 0]));
    hash.update('\n');
  }
  return `v1-${hash.digest('hex').slice(0, 16)}`;
}
