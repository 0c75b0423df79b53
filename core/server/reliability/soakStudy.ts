// The crash soak's study and the data its writes carry: a tiny labeled phantom cohort to train on (by
// reference), a few small copied scans that take the label and labelmap writes, and NIfTI files to import.
// Every payload is a function of a number (salt, import number), so a check can tell a complete write from a
// torn or stale one.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { toAffine } from '../../common/spaces.js';
import { importFolder, openStudy } from '../../datastore/index.js';
import { writeNifti } from '../../io/writeNifti.js';
import { generateCohort } from '../../synth/index.js';

/** Grid of the scans that take label and labelmap writes (small: many writes fit between kills). */
export const WRITE_SHAPE = [12, 12, 12] as const;
/** Grid of the imported scans. */
export const IMPORT_SHAPE = [6, 7, 8] as const;
/** Where the soak puts files for datastore.add, inside the study (the method takes study-relative paths). */
export const INCOMING_DIR = 'incoming';

const IDENTITY = toAffine([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);

/** Uint8 labelmap on WRITE_SHAPE for `salt`: voxel n holds (n * 7 + salt) % 5 (a torn write cannot fake it). */
export function soakLabelmap(salt: number): Uint8Array {
  const n = WRITE_SHAPE[0] * WRITE_SHAPE[1] * WRITE_SHAPE[2];
  return Uint8Array.from({ length: n }, (_, k) => (k * 7 + salt) % 5);
}

/** Float32 voxels of import number `n` on IMPORT_SHAPE: voxel k holds (k * 3 + n) % 17. */
export function importVoxels(n: number): Float32Array {
  const count = IMPORT_SHAPE[0] * IMPORT_SHAPE[1] * IMPORT_SHAPE[2];
  return Float32Array.from({ length: count }, (_, k) => (k * 3 + n) % 17);
}

/** The image id of import number `n` (ids are chosen by the soak, so an unacknowledged import is recognised). */
export const importId = (n: number): string => `imp-${n}`;

/** Writes import number `n` into the study's INCOMING_DIR; returns its study-relative path for datastore.add. */
export async function writeImportFile(studyDir: string, n: number): Promise<string> {
  const rel = `${INCOMING_DIR}/imp-${n}.nii`;
  await writeNifti(path.join(studyDir, rel), { shape: IMPORT_SHAPE, data: importVoxels(n), affine: IDENTITY });
  return rel;
}

/** A new soak study: its folder, the ids of the scans that take writes, and the training cohort's size. */
export interface SoakStudy {
  readonly dir: string;
  readonly writeImages: readonly string[];
}

/**
 * Makes `root`/study: `cohort` synthetic phantoms (24^3, labeled 'control' / 'lesion', by reference from
 * `root`/cohort; what training learns from) and `writeImages` zero-filled copied scans w0, w1, ... of
 * WRITE_SHAPE (never labeled at the start, so no training run includes them). Closes the study.
 */
export async function makeSoakStudy(root: string, options: { cohort?: number; writeImages?: number; seed?: number } = {}): Promise<SoakStudy> {
  const { cohort = 8, writeImages = 4, seed = 3 } = options;
  const cohortDir = path.join(root, 'cohort');
  // As core/train/testing/tinyStudy.ts: a strong, large lesion that a tiny network learns in a few epochs.
  await generateCohort(cohortDir, { n: cohort, seed, shape: [24, 24, 24], lesionContrast: 1, lesionRadiusMm: 25 });
  const dir = path.join(root, 'study');
  const study = openStudy(dir, { create: { name: 'crash soak' } });
  try {
    await importFolder(study, path.join(cohortDir, 'images'), { labelsCsv: path.join(cohortDir, 'labels.csv'), labelColumn: 'group', copy: false, author: 'soak' });
    const src = path.join(root, 'src');
    mkdirSync(src, { recursive: true });
    mkdirSync(path.join(dir, INCOMING_DIR), { recursive: true });
    const ids = Array.from({ length: writeImages }, (_, k) => `w${k}`);
    const zeros = new Float32Array(WRITE_SHAPE[0] * WRITE_SHAPE[1] * WRITE_SHAPE[2]);
    for (const id of ids) {
      const file = path.join(src, `${id}.nii`);
      await writeNifti(file, { shape: WRITE_SHAPE, data: zeros, affine: IDENTITY });
      await study.addImage(file, { id, author: 'soak' });
    }
    return { dir, writeImages: ids };
  } finally {
    study.close();
  }
}
