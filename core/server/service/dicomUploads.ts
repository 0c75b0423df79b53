// DICOM files uploaded by the app ("Open DICOM folder...", drag and drop) wait in the study's staging folder,
// one subfolder per upload id, until dicom.importStaged converts and imports them. Uploads older than a day
// are removed when a new upload starts (an app that closed mid-upload leaves nothing behind for long).

import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { VoxlabError } from '../../common/errors.js';
import type { Upload } from './context.js';

/** Where uploads wait, inside the study folder (a dot folder: never scanned as images). */
export const UPLOADS_DIR = '.dicom-uploads';
const MAX_AGE_MS = 24 * 3600 * 1000;

/** The folder of upload `uploadId` (an 'id' per the contract: no path separators). */
export function uploadDir(studyDir: string, uploadId: string): string {
  return path.join(studyDir, UPLOADS_DIR, uploadId);
}

/** Removes uploads last touched more than a day ago. */
async function sweep(studyDir: string, keep: string): Promise<void> {
  const root = path.join(studyDir, UPLOADS_DIR);
  const names = await readdir(root).catch(() => [] as string[]);
  const now = Date.now();
  for (const name of names) {
    if (name === keep) continue;
    const s = await stat(path.join(root, name)).catch(() => null);
    if (s !== null && now - s.mtimeMs > MAX_AGE_MS) await rm(path.join(root, name), { recursive: true, force: true });
  }
}

/** Moves `from` to the new path `to`: a rename (the upload temp file and the staging folder share the study's disk), a copy where they do not. */
async function moveInto(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    await copyFile(from, to, 1 /* COPYFILE_EXCL */);
  }
}

/**
 * Stores one uploaded file (moved, not copied, out of its upload temp file) under a fresh unique name (two
 * files of the same name from different subfolders, or uploads running in parallel, never overwrite each
 * other). Returns the upload's file count and bytes so far, counted after this file was stored. Throws
 * BAD_ARGUMENT for an empty file, CANCELLED when the upload was imported or removed meanwhile.
 */
export async function stageFile(studyDir: string, uploadId: string, name: string, file: Upload): Promise<{ uploadId: string; files: number; bytes: number }> {
  if (file.size === 0) throw new VoxlabError('BAD_ARGUMENT', `dicom.stage: ${name} is empty`, { name });
  const dir = uploadDir(studyDir, uploadId);
  if (!existsSync(dir)) {
    await mkdir(dir, { recursive: true });
    await sweep(studyDir, uploadId);
  }
  const safe = path.basename(name).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'file';
  try {
    await moveInto(file.path, path.join(dir, `${randomUUID()}_${safe}`));
    const present = await readdir(dir);
    let total = 0;
    for (const f of present) total += (await stat(path.join(dir, f)).catch(() => ({ size: 0 }))).size;
    return { uploadId, files: present.length, bytes: total };
  } catch (e) {
    // dicom.importStaged (or a sweep) removed the folder while this file arrived: the upload is over.
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    throw new VoxlabError(
      'CANCELLED',
      `dicom.stage: upload ${uploadId} was imported or removed while ${name} arrived; start a new upload`,
      { uploadId },
      { cause: e },
    );
  }
}
