// DICOM files uploaded by the app ("Open DICOM folder...", drag and drop) wait in the study's staging folder,
// one subfolder per upload id, until dicom.importStaged converts and imports them. Uploads older than a day
// are removed when a new upload starts (an app that closed mid-upload leaves nothing behind for long).

import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { VoxlabError } from '../../common/errors.js';

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

/**
 * Stores one uploaded file under a fresh unique name (two files of the same name from different subfolders,
 * or uploads running in parallel, never overwrite each other). Returns the upload's file count and bytes
 * so far, counted after this file was written.
 */
export async function stageFile(studyDir: string, uploadId: string, name: string, bytes: Uint8Array): Promise<{ uploadId: string; files: number; bytes: number }> {
  if (bytes.length === 0) throw new VoxlabError('BAD_ARGUMENT', `dicom.stage: ${name} is empty`, { name });
  const dir = uploadDir(studyDir, uploadId);
  if (!existsSync(dir)) {
    await mkdir(dir, { recursive: true });
    await sweep(studyDir, uploadId);
  }
  const safe = path.basename(name).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'file';
  try {
    await writeFile(path.join(dir, `${randomUUID()}_${safe}`), bytes, { flag: 'wx' });
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
