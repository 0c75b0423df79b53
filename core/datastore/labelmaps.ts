// Segmentation labelmaps, one NIfTI file per version: labels/<image>/seg-v<n>.nii.gz, never overwritten.
// The file is written (temp + fsync + rename, by core/io/writeNifti) under a hidden pending name without any
// lock, then moved to its versioned name and recorded in one write transaction: a version exists exactly
// when its row does, and a row never points at a missing or partial file.

import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { VoxlabError, assert, diskFullError, isDiskFull } from '../common/errors.js';
import type { Affine } from '../common/spaces.js';
import { writeNifti } from '../io/writeNifti.js';
import { LABELS_DIR, checkAuthor, checkExpectedVersion, inStudy, nowIso, parseJsonColumn, requireImage, toStoredRelative } from './layout.js';
import type { StudyHandle } from './layout.js';
import { fsyncDirSync, removeUnrecorded } from './stageCopies.js';

/** A labelmap to save. `data` holds one class index per voxel, value(i, j, k) = data[i + nx * (j + ny * k)]. */
export interface LabelmapInput {
  /** [nx, ny, nz]: the image's spatial shape (its labelmap covers it voxel for voxel). */
  readonly shape: readonly [number, number, number];
  readonly data: Uint8Array;
  /** Voxel (i, j, k) → world RAS mm, usually the image's own affine. */
  readonly affine: Affine;
}

/** One stored labelmap version. */
export interface LabelmapVersion {
  readonly imageId: string;
  readonly version: number;
  /** Absolute path of the NIfTI file. */
  readonly path: string;
  /** As stored, relative to the study folder: labels/<image>/seg-v<n>.nii.gz. */
  readonly storedPath: string;
  readonly shape: readonly [number, number, number];
  readonly author: string;
  readonly createdAt: string;
  readonly note: string | null;
  /** Saved against a stale `expectedVersion`: kept, not current. */
  readonly conflict: boolean;
  readonly expectedVersion: number | null;
}

/** How a labelmap is saved. */
export interface SaveLabelmapOptions {
  readonly author: string;
  /** The version the editor started from (0 = none). When given and not current, the save is a conflict. */
  readonly expectedVersion?: number;
  readonly note?: string;
}

interface Row {
  image_id: string;
  version: number;
  path: string;
  shape: string;
  author: string;
  created_at: string;
  note: string | null;
  conflict: number;
  expected_version: number | null;
}

const toVersion = (h: StudyHandle, r: Row): LabelmapVersion => ({
  imageId: r.image_id,
  version: r.version,
  path: inStudy(h, r.path),
  storedPath: r.path,
  shape: parseJsonColumn<[number, number, number]>(r.shape, 'labelmap shape'),
  author: r.author,
  createdAt: r.created_at,
  note: r.note,
  conflict: r.conflict === 1,
  expectedVersion: r.expected_version,
});

function checkLabelmap(input: LabelmapInput): void {
  const { shape, data, affine } = input;
  assert(Array.isArray(shape) && shape.length === 3 && shape.every((n) => Number.isSafeInteger(n) && n >= 1), () => `saveLabelmap: shape must be [nx, ny, nz] of positive integers, got ${JSON.stringify(shape)}`);
  assert(data instanceof Uint8Array, 'saveLabelmap: data must be a Uint8Array of class indices');
  assert(data.length === shape[0] * shape[1] * shape[2], () => `saveLabelmap: data has ${data.length} voxels, shape [${shape.join(', ')}] needs ${shape[0] * shape[1] * shape[2]}`, 'SHAPE_MISMATCH');
  assert(Array.isArray(affine) && affine.length === 16 && affine.every(Number.isFinite), 'saveLabelmap: affine must be 16 finite numbers (row-major 4x4)');
}

/** A labelmap covers its image voxel for voxel: its shape is the image's spatial shape. Throws SHAPE_MISMATCH. */
function checkGrid(h: StudyHandle, imageId: string, shape: readonly number[]): void {
  const row = h.db.prepare('SELECT shape FROM images WHERE id = ?').get(imageId) as { shape: string };
  const dims = parseJsonColumn<number[]>(row.shape, 'image shape');
  const spatial = [dims[0] ?? 1, dims[1] ?? 1, dims[2] ?? 1];
  assert(
    spatial.every((n, k) => n === shape[k]),
    () => `saveLabelmap: the labelmap is [${shape.join(', ')}] but image "${imageId}" is [${spatial.join(', ')}]`,
    'SHAPE_MISMATCH',
  );
}

function currentVersion(h: StudyHandle, imageId: string): number {
  const row = h.db.prepare('SELECT MAX(version) AS v FROM labelmaps WHERE image_id = ? AND conflict = 0').get(imageId) as { v: number | null };
  return row.v ?? 0;
}

/**
 * Saves a new labelmap version of `imageId` as labels/<imageId>/seg-v<n>.nii.gz and returns it. When the
 * promise resolves, file and row are durable. With `expectedVersion` that is not current, the labelmap is
 * still saved, flagged `conflict`, and LABEL_CONFLICT is thrown with details
 * { imageId, expectedVersion, currentVersion, storedVersion }. Throws NOT_FOUND (unknown image),
 * BAD_ARGUMENT / SHAPE_MISMATCH (bad input, or a grid other than the image's), DISK_FULL (the disk or the
 * database is full: no version is added, no file left), IO_ERROR (disk).
 */
export async function saveLabelmap(h: StudyHandle, imageId: string, input: LabelmapInput, options: SaveLabelmapOptions): Promise<LabelmapVersion> {
  checkLabelmap(input);
  checkAuthor('saveLabelmap', options.author);
  checkExpectedVersion('saveLabelmap', options.expectedVersion);
  requireImage(h, 'saveLabelmap', imageId);
  checkGrid(h, imageId, input.shape);
  const dir = path.join(h.dir, LABELS_DIR, imageId);
  if (mkdirSync(dir, { recursive: true }) !== undefined) fsyncDirSync(path.dirname(dir)); // the new folder's entry, durably
  // Hidden and not named seg-v*: a pending file left by a crash is never taken for a version.
  const pending = path.join(dir, `.pending-${process.pid}-${randomBytes(6).toString('hex')}.nii.gz`);
  let placed: string | null = null; // the versioned name the file took, until its row is committed
  try {
    await writeNifti(pending, { shape: input.shape, data: input.data, affine: input.affine }, { intent: 'label' });
    const written = h.db
      .transaction(() => {
        const current = currentVersion(h, imageId);
        const conflict = options.expectedVersion !== undefined && options.expectedVersion !== current;
        const next = (h.db.prepare('SELECT COALESCE(MAX(version), 0) + 1 AS n FROM labelmaps WHERE image_id = ?').get(imageId) as { n: number }).n;
        const stored = toStoredRelative(path.join(LABELS_DIR, imageId, `seg-v${next}.nii.gz`));
        // We hold the write lock and no row names seg-v<next> yet: a file there is the leftover of a save that
        // crashed before its commit, so replacing it overwrites no recorded version.
        try {
          renameSync(pending, inStudy(h, stored));
          placed = stored;
          fsyncDirSync(dir);
        } catch (e) {
          throw new VoxlabError('IO_ERROR', `saveLabelmap: could not move the labelmap into place as ${stored}: ${(e as Error).message}`, { imageId }, { cause: e });
        }
        h.db
          .prepare('INSERT INTO labelmaps (image_id, version, path, shape, author, created_at, note, conflict, expected_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(imageId, next, stored, JSON.stringify(input.shape), options.author, nowIso(), options.note ?? null, conflict ? 1 : 0, options.expectedVersion ?? null);
        return { version: next, current, conflict };
      })
      .immediate();
    placed = null;
    const saved = getLabelmapVersion(h, imageId, written.version);
    if (written.conflict) {
      throw new VoxlabError(
        'LABEL_CONFLICT',
        `The segmentation of "${imageId}" changed while you were editing (you started from version ${options.expectedVersion}, it is now ${written.current}). Your labelmap was kept as version ${written.version}, marked as a conflict.`,
        { imageId, expectedVersion: options.expectedVersion, currentVersion: written.current, storedVersion: written.version },
      );
    }
    return saved;
  } catch (e) {
    // The transaction failed after the rename (SQLITE_FULL at its INSERT or COMMIT): no row names the file.
    const file = placed;
    if (file !== null) removeUnrecorded(h, [inStudy(h, file)], () => h.db.prepare('SELECT 1 FROM labelmaps WHERE path = ?').get(file) !== undefined);
    throw isDiskFull(e) ? diskFullError(`saveLabelmap: the labelmap of "${imageId}" was not saved`, e) : e;
  } finally {
    rmSync(pending, { force: true }); // gone already after a successful rename
  }
}

/** One labelmap version. Throws NOT_FOUND. */
export function getLabelmapVersion(h: StudyHandle, imageId: string, version: number): LabelmapVersion {
  const row = h.db.prepare('SELECT * FROM labelmaps WHERE image_id = ? AND version = ?').get(imageId, version) as Row | undefined;
  if (row === undefined) throw new VoxlabError('NOT_FOUND', `Image "${imageId}" has no labelmap version ${version}`, { imageId, version });
  return toVersion(h, row);
}

/** The current labelmap (latest version that is not a conflict), or null when there is none. Throws NOT_FOUND for an unknown image. */
export function getLabelmap(h: StudyHandle, imageId: string): LabelmapVersion | null {
  requireImage(h, 'getLabelmap', imageId);
  const current = currentVersion(h, imageId);
  return current === 0 ? null : getLabelmapVersion(h, imageId, current);
}

/** Every labelmap version of `imageId`, oldest first (conflicts included). Throws NOT_FOUND for an unknown image. */
export function getLabelmapHistory(h: StudyHandle, imageId: string): LabelmapVersion[] {
  requireImage(h, 'getLabelmapHistory', imageId);
  return (h.db.prepare('SELECT * FROM labelmaps WHERE image_id = ? ORDER BY version').all(imageId) as Row[]).map((r) => toVersion(h, r));
}
