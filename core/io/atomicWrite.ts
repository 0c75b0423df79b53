// Writes files so that a reader, or a process that restarts after a crash, sees either the old content or
// the complete new content, never a torn file: temp file in the same folder, write, fsync, rename, fsync
// the folder (the rename itself is only durable once the folder's entry is on disk).

import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { VoxlabError, diskFullError, isDiskFull } from '../common/errors.js';

/**
 * A temp-file name beside `target`: hidden (leading dot), with the writer's pid and a random suffix so that
 * two processes or two calls never share one, and ending in `.tmp` so that no reader takes it for data.
 */
export function tempPathFor(target: string): string {
  const dir = path.dirname(target);
  const base = path.basename(target);
  return path.join(dir, `.${base}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Makes the directory entry changes in `dir` (creates, renames) durable. On Windows a folder cannot be
 * opened for fsync and NTFS journals renames itself, so it is skipped there.
 */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes `bytes` to `filePath` atomically and durably: when the promise resolves the new content is on
 * disk under `filePath`; if the process dies at any moment, `filePath` holds the old content (or does not
 * exist) or the new one. The folder must exist. A temp file left by a failed write is removed; one left
 * by a killed process is a hidden `.<name>.<pid>-<random>.tmp` file that readers must ignore.
 * Throws DISK_FULL when the disk or quota is full (ENOSPC, EDQUOT: the old content stays, the temp file is
 * removed), IO_ERROR (with the OS error as cause) when another step fails.
 */
export async function writeFileAtomic(filePath: string, bytes: Uint8Array | string): Promise<void> {
  const temp = tempPathFor(filePath);
  try {
    const handle = await fsp.open(temp, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(temp, filePath);
  } catch (e) {
    await fsp.rm(temp, { force: true });
    if (isDiskFull(e)) throw diskFullError(`writeFileAtomic: could not write ${filePath}`, e);
    throw new VoxlabError('IO_ERROR', `writeFileAtomic: could not write ${filePath}: ${(e as Error).message}`, { path: filePath }, { cause: e });
  }
  await fsyncDir(path.dirname(filePath)).catch((e: unknown) => {
    if (isDiskFull(e)) throw diskFullError(`writeFileAtomic: wrote ${filePath} but could not sync its folder`, e);
    throw new VoxlabError('IO_ERROR', `writeFileAtomic: wrote ${filePath} but could not sync its folder: ${(e as Error).message}`, { path: filePath }, { cause: e });
  });
}
