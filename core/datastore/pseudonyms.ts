// Pseudonymous subject ids for exports (issue #11: "exports carry no PHI unless asked, with pseudonymous ids
// stable within a study"): 'sub-' + 10 hex digits of HMAC-SHA256(study key, PatientID). The key is 32
// random bytes made on first use and kept in the study's meta table, so the same patient gets the same id
// in every export of this study, different ids in other studies, and the id cannot be turned back into the
// PatientID without the study database.

import { createHmac, randomBytes } from 'node:crypto';
import type { ImageRecord } from './images.js';
import type { StudyHandle } from './layout.js';

const KEY = 'pseudonym_key';

function studyKey(h: StudyHandle): Buffer {
  const row = h.db.prepare('SELECT value FROM meta WHERE key = ?').get(KEY) as { value: string } | undefined;
  if (row !== undefined) return Buffer.from(row.value, 'hex');
  const key = randomBytes(32).toString('hex');
  // Two writers racing: the first key stays (INSERT OR IGNORE), and both read it back.
  h.db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(KEY, key);
  return studyKey(h);
}

/** What an export may say of an image's origin: a pseudonym always; the identifiers only with PHI. */
export interface ExportIdentity {
  /** 'sub-xxxxxxxxxx', or null for an image without a PatientID (imported as NIfTI). */
  readonly subject: string | null;
  readonly patientId: string | null;
  readonly studyInstanceUid: string | null;
  readonly seriesInstanceUid: string | null;
}

/** A function giving each image's export identity (the study key read once). */
export function exportIdentities(h: StudyHandle): (image: ImageRecord) => ExportIdentity {
  let key: Buffer | null = null;
  return (image) => {
    const p = image.source?.provenance ?? {};
    const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
    const patientId = text(p.patientId);
    key ??= patientId === null ? null : studyKey(h);
    const subject = patientId === null ? null : `sub-${createHmac('sha256', key!).update(patientId).digest('hex').slice(0, 10)}`;
    return { subject, patientId, studyInstanceUid: text(p.studyInstanceUid), seriesInstanceUid: text(p.seriesInstanceUid) };
  };
}
