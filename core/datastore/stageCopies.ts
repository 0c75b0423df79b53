// Copies scans into the study in two steps, so that the final name is only taken under the database's write
// lock: stage (copy to a hidden temp file beside the target, fsync) outside any transaction, then place
// (rename) inside the transaction that records the image. Copies stream through the OS (copy_file_range /
// reflink), never through memory, so multi-gigabyte scans copy too.

import { closeSync, constants, fsyncSync, openSync, promises as fsp, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { VoxlabError, diskFullError, isDiskFull } from '../common/errors.js';
import { tempPathFor } from '../io/atomicWrite.js';
import type { StudyHandle } from './layout.js';

/** A durable copy waiting under a temp name for its final name `<base><suffix>`. */
export interface StagedFile {
  readonly temp: string;
  /** The file name ending it will get, e.g. '.nii.gz' or '.img'. */
  readonly suffix: string;
}

/**
 * Copies each `source` into `dir` under a hidden temp name and fsyncs it. On failure removes what it made
 * and throws DISK_FULL (no space left), NOT_FOUND (a missing source) or IO_ERROR, with the OS error as cause.
 */
export async function stageCopies(sources: readonly { readonly path: string; readonly suffix: string }[], dir: string): Promise<StagedFile[]> {
  const staged: StagedFile[] = [];
  try {
    for (const source of sources) {
      const temp = tempPathFor(path.join(dir, `staged${source.suffix}`));
      staged.push({ temp, suffix: source.suffix });
      await fsp.copyFile(source.path, temp, constants.COPYFILE_EXCL);
      const handle = await fsp.open(temp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    return staged;
  } catch (e) {
    discardStaged(staged);
    const what = sources.map((s) => s.path).join(' + ');
    if (isDiskFull(e)) throw diskFullError(`Could not copy ${what} into ${dir}`, e);
    const code = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR';
    throw new VoxlabError(code, `Could not copy ${what} into ${dir}: ${(e as Error).message}`, { dir }, { cause: e });
  }
}

/**
 * Renames staged files to `<dir>/<base><suffix>` and returns the final path of the first one. Meant to run
 * under the write lock, where a file already at that name cannot belong to a recorded image (it is the
 * leftover of a crashed import) and may be replaced. Throws IO_ERROR.
 */
export function placeStaged(staged: readonly StagedFile[], dir: string, base: string): string {
  const finals = staged.map((s) => path.join(dir, `${base}${s.suffix}`));
  try {
    staged.forEach((s, k) => renameSync(s.temp, finals[k]!));
  } catch (e) {
    throw new VoxlabError('IO_ERROR', `Could not move a copied image into place as ${finals[0]}: ${(e as Error).message}`, { dir }, { cause: e });
  }
  return finals[0]!;
}

/**
 * After a write transaction failed (a full disk fails its COMMIT, after the files were moved into place and
 * outside the catch of the transaction's body): removes `files` under the write lock, unless `recorded()`
 * finds their row (a LABEL_CONFLICT, or another writer that replaced the leftover and recorded it meanwhile).
 * The lock matters: only a writer holding it moves files to final names. Never throws, so that the caller
 * rethrows the write's own error; a file it cannot remove is the kind of leftover a crashed write leaves,
 * which is never listed and which the next write of that name replaces.
 */
export function removeUnrecorded(h: StudyHandle, files: readonly string[], recorded: () => boolean): void {
  if (files.length === 0) return;
  try {
    h.db
      .transaction(() => {
        if (!recorded()) for (const file of files) rmSync(file, { force: true });
      })
      .immediate();
  } catch {
    // Deliberately ignored: see the contract above (the write's own error is the one to report).
  }
}

/** Removes staged temp files (a failed or abandoned copy); missing ones are fine. */
export function discardStaged(staged: readonly StagedFile[]): void {
  for (const s of staged) rmSync(s.temp, { force: true });
}

/** Makes renames in `dir` durable (see core/io/atomicWrite's fsyncDir); synchronous, for use inside transactions. */
export function fsyncDirSync(dir: string): void {
  if (process.platform === 'win32') return; // a folder cannot be opened for fsync there; NTFS journals renames
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
