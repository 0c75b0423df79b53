// Class labels (one class per scan) with their full history. Every change appends a version; nothing is
// overwritten or deleted (the table refuses it). A write against a stale version is kept, flagged as a
// conflict, and reported with LABEL_CONFLICT, so that two people labeling at once lose neither answer.

import { VoxlabError, assert } from '../common/errors.js';
import { byCodePoint, currentLabelNames, registerClasses } from './classRegistry.js';
import { checkAuthor, checkExpectedVersion, nowIso, requireImage } from './layout.js';
import type { StudyHandle } from './layout.js';

/** One stored class label version. */
export interface ClassLabelVersion {
  readonly imageId: string;
  /** 1, 2, 3, ... per image, in the order written (conflict versions included). */
  readonly version: number;
  /** The class, or null when this version clears the label. */
  readonly label: string | null;
  readonly author: string;
  /** ISO 8601, UTC. */
  readonly createdAt: string;
  readonly note: string | null;
  /** True when written against `expectedVersion` while another version was current: kept, not current. */
  readonly conflict: boolean;
  /** The version the writer had seen, when it said so. */
  readonly expectedVersion: number | null;
}

/** The current class label of an image, plus conflicting submissions made after it. */
export interface ClassLabelState {
  readonly imageId: string;
  /** The current label (latest version that is not a conflict); null when none or cleared. */
  readonly label: string | null;
  /** The current version; 0 when the image was never labeled. */
  readonly version: number;
  readonly author: string | null;
  readonly createdAt: string | null;
  /** Conflict versions newer than the current one: answers someone gave that still need a decision. */
  readonly pendingConflicts: readonly ClassLabelVersion[];
}

/** How a label is written. */
export interface SetClassLabelOptions {
  readonly author: string;
  /** The version the writer saw (0 = none). When given and not current, the write is a conflict. */
  readonly expectedVersion?: number;
  readonly note?: string;
}

interface Row {
  image_id: string;
  version: number;
  label: string | null;
  author: string;
  created_at: string;
  note: string | null;
  conflict: number;
  expected_version: number | null;
}

const toVersion = (r: Row): ClassLabelVersion => ({
  imageId: r.image_id,
  version: r.version,
  label: r.label,
  author: r.author,
  createdAt: r.created_at,
  note: r.note,
  conflict: r.conflict === 1,
  expectedVersion: r.expected_version,
});

/** The current (latest non-conflict) version number of an image's class label; 0 when none. */
export function currentClassLabelVersion(h: StudyHandle, imageId: string): number {
  const row = h.db.prepare('SELECT MAX(version) AS v FROM class_labels WHERE image_id = ? AND conflict = 0').get(imageId) as { v: number | null };
  return row.v ?? 0;
}

/** Throws BAD_ARGUMENT unless `label` is null or a non-empty string of at most 200 characters without control characters. */
export function checkClassLabel(fn: string, label: unknown): asserts label is string | null {
  assert(
    label === null || (typeof label === 'string' && label.trim().length > 0 && label.length <= 200 && !/[\p{Cc}]/u.test(label)),
    () => `${fn}: label must be null (clear) or a non-empty class name of at most 200 characters, got ${JSON.stringify(label)}`,
  );
}

/**
 * Appends class label versions inside the caller's write transaction (no checks of image or version):
 * used by setClassLabel, imports and class renames. A new class name (not a conflict) is registered as a
 * class of the study (classRegistry.ts). Returns the version number written.
 */
export function appendClassLabel(h: StudyHandle, imageId: string, label: string | null, meta: { author: string; note?: string | undefined; conflict: boolean; expectedVersion?: number | undefined; createdAt: string }): number {
  const next = (h.db.prepare('SELECT COALESCE(MAX(version), 0) + 1 AS n FROM class_labels WHERE image_id = ?').get(imageId) as { n: number }).n;
  h.db
    .prepare('INSERT INTO class_labels (image_id, version, label, author, created_at, note, conflict, expected_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(imageId, next, label, meta.author, meta.createdAt, meta.note ?? null, meta.conflict ? 1 : 0, meta.expectedVersion ?? null);
  if (label !== null && !meta.conflict) registerClasses(h.db, [label], meta.author);
  return next;
}

/**
 * Sets (or, with null, clears) the class label of `imageId` by appending a version, and returns it.
 * With `expectedVersion` that is not the current version, the value is still stored, flagged `conflict`
 * (the current label stays as it was), and LABEL_CONFLICT is thrown with details
 * { imageId, expectedVersion, currentVersion, storedVersion }. Throws NOT_FOUND for an unknown image and
 * BAD_ARGUMENT for a bad label, author or version.
 */
export function setClassLabel(h: StudyHandle, imageId: string, label: string | null, options: SetClassLabelOptions): ClassLabelVersion {
  checkClassLabel('setClassLabel', label);
  checkAuthor('setClassLabel', options.author);
  checkExpectedVersion('setClassLabel', options.expectedVersion);
  const written = h.db
    .transaction(() => {
      requireImage(h, 'setClassLabel', imageId);
      const current = currentClassLabelVersion(h, imageId);
      const conflict = options.expectedVersion !== undefined && options.expectedVersion !== current;
      const meta = { author: options.author, note: options.note, conflict, expectedVersion: options.expectedVersion, createdAt: nowIso() };
      const version = appendClassLabel(h, imageId, label, meta);
      return { version, current, conflict };
    })
    .immediate();
  const stored = getClassLabelVersion(h, imageId, written.version);
  if (written.conflict) {
    throw new VoxlabError(
      'LABEL_CONFLICT',
      `The label of "${imageId}" changed while you were editing (you saw version ${options.expectedVersion}, it is now ${written.current}). Your answer "${label ?? '(cleared)'}" was kept as version ${written.version}, marked as a conflict.`,
      { imageId, expectedVersion: options.expectedVersion, currentVersion: written.current, storedVersion: written.version },
    );
  }
  return stored;
}

/** One version of an image's class label. Throws NOT_FOUND. */
export function getClassLabelVersion(h: StudyHandle, imageId: string, version: number): ClassLabelVersion {
  const row = h.db.prepare('SELECT * FROM class_labels WHERE image_id = ? AND version = ?').get(imageId, version) as Row | undefined;
  if (row === undefined) throw new VoxlabError('NOT_FOUND', `Image "${imageId}" has no class label version ${version}`, { imageId, version });
  return toVersion(row);
}

/** The current class label of `imageId` and any newer conflicting submissions. Throws NOT_FOUND for an unknown image. */
export function getClassLabel(h: StudyHandle, imageId: string): ClassLabelState {
  requireImage(h, 'getClassLabel', imageId);
  const current = currentClassLabelVersion(h, imageId);
  const cur = current === 0 ? null : getClassLabelVersion(h, imageId, current);
  const pending = h.db.prepare('SELECT * FROM class_labels WHERE image_id = ? AND conflict = 1 AND version > ? ORDER BY version').all(imageId, current) as Row[];
  return {
    imageId,
    label: cur?.label ?? null,
    version: current,
    author: cur?.author ?? null,
    createdAt: cur?.createdAt ?? null,
    pendingConflicts: pending.map(toVersion),
  };
}

/** Every class label version of `imageId`, oldest first (conflicts included). Throws NOT_FOUND for an unknown image. */
export function getLabelHistory(h: StudyHandle, imageId: string): ClassLabelVersion[] {
  requireImage(h, 'getLabelHistory', imageId);
  return (h.db.prepare('SELECT * FROM class_labels WHERE image_id = ? ORDER BY version').all(imageId) as Row[]).map(toVersion);
}

/** The study's label classes: the distinct current (non-null) class labels, sorted by code point (e.g. ['F', 'M']). */
export function listLabelClasses(h: StudyHandle): string[] {
  return currentLabelNames(h.db).sort(byCodePoint);
}
