// Reader studies (issue #13): the reading settings, and each reader's reads of a scan. A read is versioned
// like a class label (append-only, a stale expectedVersion is kept as a conflict and reported with
// LABEL_CONFLICT), but per reader: readers never conflict with each other, and in a blinded study nobody
// below reviewer sees another reader's answer. The reference label (adjudication) is the scan's class
// label (classLabels.ts); what training learns from is trainingLabels().

import type { ReadInfo, ReadingSettings, TrainingLabelSource } from '../api/types.js';
import type { ClassLabelState, ClassLabelVersion } from './classLabels.js';
import { checkClassLabel } from './classLabels.js';
import { VoxlabError } from '../common/errors.js';
import { registerClasses } from './classRegistry.js';
import { checkAuthor, checkExpectedVersion, nowIso, requireImage } from './layout.js';
import type { StudyHandle } from './layout.js';

export type { ReadingSettings, TrainingLabelSource };

/** A study that was never set up for reading: open labeling, one label per scan, training on it. */
export const DEFAULT_READING: ReadingSettings = { blinded: false, readsPerScan: 1, trainingLabels: 'reference' };

/** One reader's latest read of a scan (label null: the reader cleared their answer). */
export type ReadRecord = ReadInfo;

interface Row {
  image_id: string;
  reader: string;
  version: number;
  label: string | null;
  created_at: string;
  note: string | null;
  conflict: number;
  expected_version: number | null;
}

const toVersion = (r: Row): ClassLabelVersion => ({
  imageId: r.image_id,
  version: r.version,
  label: r.label,
  author: r.reader,
  createdAt: r.created_at,
  note: r.note,
  conflict: r.conflict === 1,
  expectedVersion: r.expected_version,
});

function checkSource(source: unknown): asserts source is TrainingLabelSource {
  if (!(source === 'reference' || source === 'majority' || (typeof source === 'string' && /^reader:.+/.test(source))))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `trainingLabels must be 'reference', 'majority' or 'reader:NAME', got ${JSON.stringify(source)}`,
    );
}

/** The study's reading settings (DEFAULT_READING when never set). */
export function getReading(h: StudyHandle): ReadingSettings {
  const row = h.db.prepare("SELECT value FROM meta WHERE key = 'reading'").get() as { value: string } | undefined;
  return row === undefined ? DEFAULT_READING : { ...DEFAULT_READING, ...(JSON.parse(row.value) as Partial<ReadingSettings>) };
}

/**
 * Changes the reading settings (fields left out keep their value). Throws BAD_ARGUMENT for readsPerScan
 * outside 1..20, an unknown training label source, or blinded reading in a study without accounts (readers
 * must be known to be kept apart).
 */
export function setReading(h: StudyHandle, change: Partial<ReadingSettings>, hasAccounts: boolean): ReadingSettings {
  const next = { ...getReading(h), ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) } as ReadingSettings;
  if (!(Number.isInteger(next.readsPerScan) && next.readsPerScan >= 1 && next.readsPerScan <= 20))
    throw new VoxlabError('BAD_ARGUMENT', `readsPerScan must be an integer from 1 to 20, got ${String(next.readsPerScan)}`);
  checkSource(next.trainingLabels);
  if (next.blinded && !hasAccounts)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      'Blinded reading needs accounts, so that each reader is known: add them first (voxlab users add NAME --role annotator)',
    );
  h.db.prepare("INSERT INTO meta (key, value) VALUES ('reading', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(JSON.stringify(next));
  return next;
}

function currentReadVersion(h: StudyHandle, imageId: string, reader: string): number {
  const row = h.db.prepare('SELECT MAX(version) AS v FROM reads WHERE image_id = ? AND reader = ? AND conflict = 0').get(imageId, reader) as { v: number | null };
  return row.v ?? 0;
}

/**
 * Appends `reader`'s read of `imageId` (null clears it). With a stale `expectedVersion` (of this reader's
 * own reads) the read is kept as a conflict and LABEL_CONFLICT is thrown, as setClassLabel does.
 */
export function setRead(
  h: StudyHandle,
  imageId: string,
  reader: string,
  label: string | null,
  options: { expectedVersion?: number; note?: string } = {},
): ClassLabelVersion {
  checkClassLabel('setRead', label);
  checkAuthor('setRead', reader);
  checkExpectedVersion('setRead', options.expectedVersion);
  const written = h.db
    .transaction(() => {
      requireImage(h, 'setRead', imageId);
      const current = currentReadVersion(h, imageId, reader);
      const conflict = options.expectedVersion !== undefined && options.expectedVersion !== current;
      const next = (h.db.prepare('SELECT COALESCE(MAX(version), 0) + 1 AS n FROM reads WHERE image_id = ? AND reader = ?').get(imageId, reader) as { n: number }).n;
      h.db
        .prepare('INSERT INTO reads (image_id, reader, version, label, created_at, note, conflict, expected_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(imageId, reader, next, label, nowIso(), options.note ?? null, conflict ? 1 : 0, options.expectedVersion ?? null);
      if (label !== null && !conflict) registerClasses(h.db, [label], reader);
      return { version: next, current, conflict };
    })
    .immediate();
  const stored = toVersion(h.db.prepare('SELECT * FROM reads WHERE image_id = ? AND reader = ? AND version = ?').get(imageId, reader, written.version) as Row);
  if (written.conflict)
    throw new VoxlabError(
      'LABEL_CONFLICT',
      `Your read of "${imageId}" changed elsewhere (you saw version ${options.expectedVersion}, it is now ${written.current}). Your answer "${label ?? '(cleared)'}" was kept as version ${written.version}, marked as a conflict.`,
      { imageId, expectedVersion: options.expectedVersion, currentVersion: written.current, storedVersion: written.version },
    );
  return stored;
}

/** `reader`'s own read of `imageId`, in the shape of a class label state (labels.get in a blinded study). */
export function getRead(h: StudyHandle, imageId: string, reader: string): ClassLabelState {
  requireImage(h, 'getRead', imageId);
  const current = currentReadVersion(h, imageId, reader);
  const row = h.db.prepare('SELECT * FROM reads WHERE image_id = ? AND reader = ? AND version = ?').get(imageId, reader, current) as Row | undefined;
  const pending = (h.db.prepare('SELECT * FROM reads WHERE image_id = ? AND reader = ? AND conflict = 1 AND version > ? ORDER BY version').all(imageId, reader, current) as Row[]).map(toVersion);
  return {
    imageId,
    label: row?.label ?? null,
    version: current,
    author: row === undefined ? null : row.reader,
    createdAt: row?.created_at ?? null,
    pendingConflicts: pending,
  };
}

/** Every version of `reader`'s reads of `imageId`, oldest first. */
export function getReadHistory(h: StudyHandle, imageId: string, reader: string): ClassLabelVersion[] {
  requireImage(h, 'getReadHistory', imageId);
  return (h.db.prepare('SELECT * FROM reads WHERE image_id = ? AND reader = ? ORDER BY version').all(imageId, reader) as Row[]).map(toVersion);
}

/** The latest non-conflict read of every reader, of one scan or of all, by image then reader. */
export function latestReads(h: StudyHandle, imageId?: string): ReadRecord[] {
  const rows = h.db
    .prepare(
      `SELECT r.* FROM reads r JOIN (SELECT image_id, reader, MAX(version) AS v FROM reads WHERE conflict = 0 ${imageId === undefined ? '' : 'AND image_id = @imageId'} GROUP BY image_id, reader) m
       ON r.image_id = m.image_id AND r.reader = m.reader AND r.version = m.v ORDER BY r.image_id, r.reader`,
    )
    .all(imageId === undefined ? {} : { imageId }) as Row[];
  return rows.map((r) => ({ imageId: r.image_id, reader: r.reader, label: r.label, version: r.version, createdAt: r.created_at }));
}

/**
 * The class label training uses per image under `source` (images without one are left out):
 * 'reference' the current class label (adjudicated or set openly); 'majority' the most frequent latest
 * read (a tie falls back to the reference, else the image is left out); 'reader:NAME' that reader's read.
 */
export function trainingLabels(h: StudyHandle, reference: ReadonlyMap<string, string>, source: TrainingLabelSource): Map<string, string> {
  if (source === 'reference') return new Map(reference);
  const reads = latestReads(h).filter((r) => r.label !== null);
  const out = new Map<string, string>();
  if (source.startsWith('reader:')) {
    const reader = source.slice('reader:'.length);
    for (const r of reads) if (r.reader === reader) out.set(r.imageId, r.label!);
    return out;
  }
  const byImage = new Map<string, Map<string, number>>();
  for (const r of reads) {
    const counts = byImage.get(r.imageId) ?? new Map<string, number>();
    counts.set(r.label!, (counts.get(r.label!) ?? 0) + 1);
    byImage.set(r.imageId, counts);
  }
  for (const [imageId, counts] of byImage) {
    const top = Math.max(...counts.values());
    const winners = [...counts].filter(([, n]) => n === top).map(([l]) => l);
    if (winners.length === 1) out.set(imageId, winners[0]!);
    else if (reference.has(imageId)) out.set(imageId, reference.get(imageId)!);
  }
  return out;
}

/**
 * What agreement is computed over: every reader's latest non-cleared read, and the classes (the study's,
 * plus any read label no longer among them). For agreement() in core/agreement.
 */
export function agreementInput(h: StudyHandle & { listClasses(): readonly { name: string }[] }): {
  reads: { imageId: string; reader: string; label: string }[];
  classes: string[];
} {
  const reads = latestReads(h)
    .filter((r) => r.label !== null)
    .map((r) => ({ imageId: r.imageId, reader: r.reader, label: r.label! }));
  const classes = [...new Set([...h.listClasses().map((c) => c.name), ...reads.map((r) => r.label)])];
  return { reads, classes };
}
