// Test helpers for the datastore: throw-away folders, tiny NIfTI files written byte by byte (so tests do not
// depend on the writer under test elsewhere), and the shared IXI data's location.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createStudy } from '../openStudy.js';
import type { Study } from '../Study.js';

/** The repository root (three levels above this file). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** shared/ sits beside the repository (see shared/README.md). */
export const SHARED_DATA = path.resolve(REPO_ROOT, '../shared/data');
export const IXI_DIR = path.join(SHARED_DATA, 'ixi');
export const IXI_CSV = path.join(IXI_DIR, 'labels.csv');

/** A fresh empty folder under the OS temp folder; `cleanup()` removes every folder made so far. */
export function makeTempDirs(): { make: (prefix?: string) => string; cleanup: () => void } {
  const made: string[] = [];
  return {
    make: (prefix = 'voxlab-ds-') => {
      const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    cleanup: () => {
      for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}

/**
 * Bytes of a minimal single-file NIfTI-1 image: uint8 voxels of `shape` [nx, ny, nz] (value(i,j,k) =
 * data[i + nx*(j + ny*k)], default all `fill`), 1 mm voxels, identity sform.
 */
export function tinyNiftiBytes(shape: readonly [number, number, number], fill = 0, data?: Uint8Array): Buffer {
  const n = shape[0] * shape[1] * shape[2];
  const voxOffset = 352;
  const buf = Buffer.alloc(voxOffset + n);
  buf.writeInt32LE(348, 0);
  [3, ...shape, 1, 1, 1, 1].forEach((d, k) => buf.writeInt16LE(d, 40 + 2 * k));
  buf.writeInt16LE(2, 70); // datatype uint8
  buf.writeInt16LE(8, 72); // bitpix
  [1, 1, 1, 1, 1, 1, 1, 1].forEach((p, k) => buf.writeFloatLE(p, 76 + 4 * k));
  buf.writeFloatLE(voxOffset, 108);
  buf.writeFloatLE(1, 112); // scl_slope
  buf.writeUInt8(10, 123); // xyzt_units: mm, sec
  buf.writeInt16LE(1, 254); // sform_code: scanner
  [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0].forEach((v, k) => buf.writeFloatLE(v, 280 + 4 * k));
  buf.write('n+1\0', 344, 'latin1');
  if (data !== undefined) Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(buf, voxOffset);
  else buf.fill(fill, voxOffset);
  return buf;
}

/** Writes a tiny NIfTI image to `file` (gzipped when it ends in .gz) and returns `file`. */
export function writeTinyNifti(file: string, shape: readonly [number, number, number] = [4, 5, 6], fill = 7): string {
  const bytes = tinyNiftiBytes(shape, fill);
  writeFileSync(file, file.endsWith('.gz') ? gzipSync(bytes) : bytes);
  return file;
}

/**
 * A new study in `root`/study with `ids.length` tiny images of `shape` (referenced from `root`/src, not
 * copied), named so that their ids are `ids`.
 */
export async function studyWithImages(root: string, ids: readonly string[], shape: readonly [number, number, number] = [4, 5, 6]): Promise<Study> {
  const study = createStudy(path.join(root, 'study'), { name: 'test study' });
  mkdirSync(path.join(root, 'src'), { recursive: true });
  for (const id of ids) await study.addImage(writeTinyNifti(path.join(root, 'src', `${id}.nii`), shape), { copy: false });
  return study;
}
