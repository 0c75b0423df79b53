// Adding images to a study in two phases: stage (probe the file, copy it to a hidden temp file: slow, no
// lock held) and commit (pick ids, move copies into place, insert rows: fast, under the write lock).

import { rmSync } from 'node:fs';
import path from 'node:path';
import { VoxlabError, assert, diskFullError, isDiskFull } from '../common/errors.js';
import { allocateImageId, getImage, imageIdFromFileName, niftiSuffix } from './images.js';
import type { ImageRecord } from './images.js';
import { IMAGES_DIR, checkImageId, nowIso, toStoredRelative } from './layout.js';
import type { StudyHandle } from './layout.js';
import { probeNifti } from './probeNifti.js';
import type { NiftiProbe } from './probeNifti.js';
import { discardStaged, fsyncDirSync, placeStaged, removeUnrecorded, stageCopies } from './stageCopies.js';
import type { StagedFile } from './stageCopies.js';

/** How an image joins the study. */
export interface AddImageOptions {
  /** true (default): copy the file into the study's images/ folder; false: reference it where it is. */
  readonly copy?: boolean;
  /** For references: store the path relative to the study folder (so they can move together). Default: absolute. */
  readonly relativeReference?: boolean;
  /** The id to give the image; default: derived from the file name and made unique. */
  readonly id?: string;
  /** Who added it (recorded); default 'voxlab'. */
  readonly author?: string;
}

/** Copies moved to their final names for image `id` (a .hdr's .img after the .hdr). */
export interface PlacedImage {
  readonly id: string;
  readonly files: readonly string[];
}

/** An image probed and (when copying) copied, waiting to be committed. */
export interface StagedImage {
  /** Absolute path of the source file. */
  readonly source: string;
  readonly probe: NiftiProbe;
  readonly staged: readonly StagedFile[] | null;
  readonly requestedId: string | undefined;
}

/** The id of the image already added from `source` (absolute), if any. */
export function imageIdForSource(h: StudyHandle, source: string): string | undefined {
  const row = h.db.prepare('SELECT id FROM images WHERE source_path = ?').get(source) as { id: string } | undefined;
  return row?.id;
}

/**
 * Probes `source` (absolute) and, when copying, copies it (and a .hdr's .img) to hidden temp files in the
 * study's images/ folder. Throws the probe's VoxlabError for unreadable files, IO_ERROR for failed copies.
 */
export async function stageImage(h: StudyHandle, source: string, options: AddImageOptions): Promise<StagedImage> {
  const probe = await probeNifti(source);
  if (options.copy === false) return { source, probe, staged: null, requestedId: options.id };
  const files = [{ path: source, suffix: niftiSuffix(source) }];
  if (probe.dataFile !== source) files.push({ path: probe.dataFile, suffix: probe.dataFile.toLowerCase().endsWith('.gz') ? '.img.gz' : '.img' });
  const staged = await stageCopies(files, path.join(h.dir, IMAGES_DIR));
  return { source, probe, staged, requestedId: options.id };
}

/**
 * Records staged images; must run inside a write transaction (the caller's), which makes ids and file names
 * safe from other writers. Returns the new ids in order. On failure removes what it moved into place, while
 * still holding the lock, and rethrows; the caller discards the remaining temp files. `placed` collects the
 * copies it moved to final names: when the caller's transaction fails later (its COMMIT on a full disk), the
 * caller removes those that no row names (removeUnrecordedImages).
 */
export function commitStagedImages(h: StudyHandle, images: readonly StagedImage[], options: AddImageOptions, placed: PlacedImage[] = []): string[] {
  const insert = h.db.prepare(
    `INSERT INTO images (id, storage, path_stored, path_resolved, source_path, format, shape, added_at, added_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const imagesDir = path.join(h.dir, IMAGES_DIR);
  const taken = new Set<string>();
  const now = nowIso();
  try {
    const ids = images.map((img) => {
      const id = img.requestedId ?? allocateImageId(h, imageIdFromFileName(img.source), taken);
      let stored: string;
      let resolved: string;
      if (img.staged !== null) {
        resolved = placeStaged(img.staged, imagesDir, id);
        placed.push({ id, files: img.staged.map((s) => path.join(imagesDir, `${id}${s.suffix}`)) });
        stored = toStoredRelative(path.relative(h.dir, resolved));
      } else {
        resolved = img.source;
        stored = options.relativeReference === true ? toStoredRelative(path.relative(h.dir, img.source)) : img.source;
      }
      insert.run(id, img.staged === null ? 'reference' : 'copy', stored, resolved, img.source, img.probe.format, JSON.stringify(img.probe.shape), now, options.author ?? 'voxlab');
      return id;
    });
    if (placed.length > 0) fsyncDirSync(imagesDir);
    return ids;
  } catch (e) {
    for (const file of placed.flatMap((p) => p.files)) rmSync(file, { force: true });
    throw e;
  }
}

/**
 * After the transaction that ran commitStagedImages failed (its COMMIT, on a full disk): removes the copies
 * it moved into place that no image row names (see removeUnrecorded).
 */
export function removeUnrecordedImages(h: StudyHandle, placed: readonly PlacedImage[]): void {
  for (const { id, files } of placed) {
    const recorded = () => h.db.prepare("SELECT 1 FROM images WHERE id = ? AND storage = 'copy' AND path_resolved = ?").get(id, files[0]) !== undefined;
    removeUnrecorded(h, files, recorded);
  }
}

/**
 * Adds one NIfTI image (.nii, .nii.gz, .hdr+.img) to the study, copied (default) or referenced.
 * `file` is resolved against the working directory. Checks the header and size first (probeNifti).
 * Throws NOT_FOUND / NOT_NIFTI / NIFTI_* for unreadable files, ALREADY_EXISTS when the file was already
 * added or the requested id is taken, BAD_ARGUMENT for a malformed id, DISK_FULL when the disk or the
 * database is full (nothing added, no copy left), IO_ERROR for failed copies.
 */
export async function addImage(h: StudyHandle, file: string, options: AddImageOptions = {}): Promise<ImageRecord> {
  assert(typeof file === 'string' && file.length > 0, 'addImage: file must be a non-empty path');
  if (options.id !== undefined) checkImageId('addImage', options.id);
  const source = path.resolve(file);
  const existing = imageIdForSource(h, source);
  if (existing !== undefined) throw new VoxlabError('ALREADY_EXISTS', `${source} is already in the study as image "${existing}"`, { imageId: existing });
  const staged = await stageImage(h, source, options);
  const placed: PlacedImage[] = [];
  try {
    const [id] = h.db
      .transaction(() => {
        if (options.id !== undefined && h.db.prepare('SELECT 1 FROM images WHERE id = ? COLLATE NOCASE').get(options.id) !== undefined) {
          throw new VoxlabError('ALREADY_EXISTS', `addImage: the study already has an image "${options.id}"`, { imageId: options.id });
        }
        const again = imageIdForSource(h, source);
        if (again !== undefined) throw new VoxlabError('ALREADY_EXISTS', `${source} is already in the study as image "${again}"`, { imageId: again });
        return commitStagedImages(h, [staged], options, placed);
      })
      .immediate();
    return getImage(h, id!);
  } catch (e) {
    // A failed COMMIT (SQLITE_FULL) comes after the copy took its final name: no row names it then.
    removeUnrecordedImages(h, placed);
    throw isDiskFull(e) ? diskFullError(`addImage: ${source} was not added`, e) : e;
  } finally {
    if (staged.staged !== null) discardStaged(staged.staged);
  }
}
