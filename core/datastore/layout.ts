// What a study folder looks like, the handle the datastore functions share, and small checks they all use.
// A study is a folder: voxlab.sqlite (the truth), images/ (copied scans), labels/<image>/ (labelmap
// versions), models/ (trained models), maps/<image>/ (heatmaps). Files on disk count only once the database records them.

import path from 'node:path';
import { VoxlabError, assert } from '../common/errors.js';
import type { SqliteDb } from './sqlite.js';

export const STUDY_DB_FILE = 'voxlab.sqlite';
export const IMAGES_DIR = 'images';
export const LABELS_DIR = 'labels';
export const MODELS_DIR = 'models';
/** Stored heatmaps: maps/<image>/<map id>.nii.gz (see explanations.ts). */
export const MAPS_DIR = 'maps';

/** What every datastore operation needs: the study folder (absolute) and its open database. */
export interface StudyHandle {
  readonly dir: string;
  readonly db: SqliteDb;
}

/** Image ids name folders and files: letters, digits, '.', '_' and '-', starting with a letter or digit. */
const IMAGE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Names Windows refuses for files and folders (with any extension). */
export const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/** Throws BAD_ARGUMENT unless `id` is a well-formed image id (see IMAGE_ID) usable as a folder name everywhere. */
export function checkImageId(fn: string, id: unknown): asserts id is string {
  assert(
    typeof id === 'string' && IMAGE_ID.test(id) && !id.endsWith('.') && !WINDOWS_RESERVED.test(id),
    () => `${fn}: image id must be 1-128 letters, digits, '.', '_' or '-' starting with a letter or digit, got ${JSON.stringify(id)}`,
  );
}

/** Throws BAD_ARGUMENT unless `author` is a non-empty string (who made a change is always recorded). */
export function checkAuthor(fn: string, author: unknown): asserts author is string {
  assert(typeof author === 'string' && author.trim().length > 0, () => `${fn}: author must be a non-empty string, got ${JSON.stringify(author)}`);
}

/** Throws BAD_ARGUMENT unless `v` is undefined or an integer >= 0 (0 = "I saw no version yet"). */
export function checkExpectedVersion(fn: string, v: unknown): asserts v is number | undefined {
  assert(v === undefined || (Number.isInteger(v) && (v as number) >= 0), () => `${fn}: expectedVersion must be an integer >= 0, got ${String(v)}`);
}

/** Throws NOT_FOUND unless the study has an image with exactly this id. */
export function requireImage(h: StudyHandle, fn: string, imageId: string): void {
  checkImageId(fn, imageId);
  const row = h.db.prepare('SELECT 1 FROM images WHERE id = ?').get(imageId);
  if (row === undefined) throw new VoxlabError('NOT_FOUND', `${fn}: the study has no image "${imageId}"`, { imageId });
}

/** The current time as an ISO 8601 string in UTC, as every created_at column stores it. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** Absolute path of a path stored relative to the study folder (or already absolute). */
export function inStudy(h: StudyHandle, stored: string): string {
  return path.isAbsolute(stored) ? stored : path.join(h.dir, stored);
}

/** Study-relative paths are stored with '/' so that a study copied between Windows and Unix still opens. */
export function toStoredRelative(relative: string): string {
  return relative.split(path.sep).join('/');
}

/** Parses a JSON column written by this module; a bad value means the database was edited by hand. */
export function parseJsonColumn<T>(value: string, what: string): T {
  try {
    return JSON.parse(value) as T;
  } catch (e) {
    throw new VoxlabError('STUDY_INVALID', `The study database holds an unreadable ${what}: ${(e as Error).message}`, undefined, { cause: e });
  }
}
