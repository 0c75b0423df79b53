// Finds the DICOM Part 10 files under a folder: any nesting, any names (GE's i152.MRDC.5, no extension,
// UIDs), recognised by the 'DICM' mark after the 128-byte preamble (PS3.10 7.1), not by extension.

import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { VoxlabError } from '../common/errors.js';
import { mapLimited } from '../common/mapLimited.js';

/** True when `file` starts with a DICOM Part 10 preamble ('DICM' at byte 128). */
export async function isDicomFile(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const mark = Buffer.alloc(4);
    const { bytesRead } = await handle.read(mark, 0, 4, 128);
    return bytesRead === 4 && mark.toString('latin1') === 'DICM';
  } finally {
    await handle.close();
  }
}

/** Names that are never DICOM images: the DICOMDIR index and NIfTI files. */
const NOT_DICOM = /^dicomdir$|\.(nii|nii\.gz|hdr|img|img\.gz)$/i;

/**
 * Every DICOM file under `dir` (sorted paths) and how many other files were passed over (DICOMDIR
 * included: it indexes the images but is not one). NOT_FOUND when `dir` does not exist.
 */
export async function findDicomFiles(dir: string): Promise<{ files: string[]; skipped: number }> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    throw new VoxlabError(e.code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR', `Cannot read the folder ${dir}: ${e.message}`, { path: dir }, { cause: e });
  });
  const candidates = entries.filter((e) => e.isFile());
  // NIfTI files (the common case in a study folder) are passed over by name, without opening them; the
  // others are opened 8 at a time (libuv's threads overlap them).
  const dicom = await mapLimited(candidates, 8, async (entry) => (NOT_DICOM.test(entry.name) ? false : isDicomFile(path.join(entry.parentPath, entry.name))));
  const files = candidates.filter((_, i) => dicom[i]).map((e) => path.join(e.parentPath, e.name));
  return { files: files.sort(), skipped: candidates.length - files.length };
}
