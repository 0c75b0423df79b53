// Removes the temp files a killed process left in a study folder (issue #15, crash soak): atomic writes'
// hidden `.<name>.<pid>-<random>.tmp` files (core/io/atomicWrite.ts tempPathFor: labelmaps in labels/,
// staged copies in images/, checkpoints in models/, heatmaps in maps/, upload bodies in .uploads/ and
// .dicom-uploads/, a study-creation temp database with its -wal/-shm/-journal), labelmaps written but not yet
// moved to their version's name (labels/<image>/.pending-<pid>-<random>.nii.gz), the access token's
// `serve.token.<pid>.tmp`, and DICOM import staging folders named `.dicom-import-<pid>-<random>`. A file (or
// such a folder) goes only when no live process on this machine has the pid in its name:
// the CLI and a server may open one study at once, and each must keep the other's writes in flight.

import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

/** tempPathFor's names, plus the SQLite side files of a temp database: `.<name>.<pid>-<12 hex>.tmp[-wal]`. */
const ATOMIC_TEMP = /^\..+\.(\d+)-[0-9a-f]{12}\.tmp(-wal|-shm|-journal)?$/;
/** core/datastore/labelmaps.ts saveLabelmap: `.pending-<pid>-<12 hex>.nii.gz`. */
const PENDING_LABELMAP = /^\.pending-(\d+)-[0-9a-f]{12}\.nii\.gz$/;
/** core/server/serveToken.ts keep(): `serve.token.<pid>.tmp`. */
const TOKEN_TEMP = /^serve\.token\.(\d+)\.tmp$/;
/** A staging folder of converted DICOM series (core/dicom/importSeries.ts) named with its process's pid. */
const STAGING_DIR = /^\.dicom-import-(\d+)-[^/]+$/;

/** What a sweep did; paths are absolute. */
export interface SweepResult {
  readonly removed: string[];
  /** Temp files whose process still runs (another writer, or this process). */
  readonly kept: string[];
  /** Leftovers that could not be removed (e.g. a read-only study), with the OS error's words. */
  readonly failed: { readonly path: string; readonly message: string }[];
}

/** The pid that owns temp file `name` (a base name), or null when the name is not a voxlab temp file. */
export function tempFileOwner(name: string): number | null {
  return ownerIn(ATOMIC_TEMP.exec(name) ?? PENDING_LABELMAP.exec(name) ?? TOKEN_TEMP.exec(name));
}

/** The pid that owns staging folder `name` (a base name), or null when the name is not one. */
export function stagingDirOwner(name: string): number | null {
  return ownerIn(STAGING_DIR.exec(name));
}

function ownerIn(m: RegExpExecArray | null): number | null {
  if (m === null) return null;
  const pid = Number(m[1]);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

/**
 * True when a process with `pid` runs on this machine (signal 0 probes without sending anything). A process
 * of another user (EPERM) counts as alive; so does any answer other than ESRCH, to keep files when unsure.
 */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Walks `studyDir` (symbolic links are not followed) and removes every voxlab temp file whose owner is not
 * alive per `isAlive`. Never throws for a single file: a file another sweeper removed first is fine, other
 * failures are listed in `failed`. Throws only when `studyDir` itself cannot be read (the OS error).
 * Assumes one machine: a pid names a process of the machine running the sweep (not a study on a network
 * share written by two hosts).
 */
export function sweepTempFiles(studyDir: string, isAlive: (pid: number) => boolean = pidAlive): SweepResult {
  const result: SweepResult = { removed: [], kept: [], failed: [] };
  const walk = (dir: string, top: boolean) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      if (top) throw e;
      // A folder removed meanwhile (an import's staging folder) has nothing left to sweep.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') result.failed.push({ path: dir, message: (e as Error).message });
      return;
    }
    for (const entry of entries) {
      const file = path.join(dir, entry.name);
      const folder = entry.isDirectory();
      const owner = folder ? stagingDirOwner(entry.name) : entry.isFile() ? tempFileOwner(entry.name) : null;
      if (owner === null) {
        if (folder) walk(file, false);
        continue;
      }
      if (isAlive(owner)) {
        result.kept.push(file);
        continue;
      }
      try {
        rmSync(file, { force: true, recursive: folder });
        result.removed.push(file);
      } catch (e) {
        result.failed.push({ path: file, message: (e as Error).message });
      }
    }
  };
  walk(studyDir, true);
  return result;
}
