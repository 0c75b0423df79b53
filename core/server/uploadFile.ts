// Where an uploaded body waits while its call runs (issue #15 item 3): a hidden temp file inside the study,
// streamed there by HTTP (body.ts) or written there from the IPC ArrayBuffer (rpcHost.ts), so that handlers
// take one input type (an Upload) and no upload is ever held whole in the server's memory.

import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { VoxlabError, diskFullError, isDiskFull } from '../common/errors.js';
import { tempPathFor } from '../io/atomicWrite.js';
import type { Upload } from './service/context.js';

/** The study's folder of upload temp files (a dot folder: never scanned as images). */
export const UPLOAD_TEMP_DIR = '.uploads';

/**
 * A fresh temp-file path for an upload into the study at `studyDir`, creating `<study>/.uploads/`:
 * `.upload.<pid>-<random>.tmp` (core/io/atomicWrite.ts tempPathFor's naming, so that the sweep of leftover
 * temp files at study open recognises what a killed server left behind).
 */
export async function uploadTempPath(studyDir: string): Promise<string> {
  const dir = path.join(studyDir, UPLOAD_TEMP_DIR);
  await mkdir(dir, { recursive: true });
  return tempPathFor(path.join(dir, 'upload'));
}

/** The error for a failed write of upload temp file `file`: DISK_FULL when the disk is full, else IO_ERROR. */
export function uploadWriteError(file: string, cause: unknown): VoxlabError {
  if (isDiskFull(cause)) return diskFullError('upload', cause);
  return new VoxlabError(
    'IO_ERROR',
    `The upload could not be stored in the study: ${(cause as Error)?.message ?? String(cause)}`,
    { path: path.basename(file) },
    { cause },
  );
}

/** Writes `bytes` (an IPC upload, already in memory) to a new temp file of the study. Throws like uploadWriteError. */
export async function writeUploadFile(studyDir: string, bytes: Uint8Array): Promise<Upload> {
  const file = await uploadTempPath(studyDir);
  try {
    await writeFile(file, bytes, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    await rm(file, { force: true });
    throw uploadWriteError(file, e);
  }
  return { path: file, size: bytes.byteLength };
}

/**
 * Removes an upload's temp file once its call is over (nothing when the handler moved it away). Never
 * throws: a call that succeeded stays a success; a file that cannot be removed now is a warning, and the
 * sweep of temp files at the next study open removes it.
 */
export async function discardUpload(upload: Upload | undefined): Promise<void> {
  if (upload === undefined) return;
  await rm(upload.path, { force: true }).catch((e: unknown) =>
    process.emitWarning(
      `voxlab: could not remove the upload temp file ${upload.path}: ${(e as Error).message}`,
    ),
  );
}
