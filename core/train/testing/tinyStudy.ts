// Test helpers: a tiny labeled synthetic study (core/synth phantoms on a 24^3 grid with a strong planted
// lesion, imported by reference) and the tiny training settings that train on it in seconds on CPU.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importFolder, openStudy, type Study } from '../../datastore/index.js';
import { generateCohort } from '../../synth/index.js';
import type { TrainConfigInput } from '../config.js';

/**
 * The settings the tests train with: MONAI's tiny reference DenseNet cut to two blocks, on 16^3 inputs
 * (16 → conv0 8 → pool 4 → transition 2), no augmentation, a learning rate that moves in a few steps.
 */
export const TINY_CONFIG: TrainConfigInput = {
  model: 'tiny',
  modelOverrides: { blockConfig: [2, 2] },
  inputSize: 16,
  epochs: 4,
  batchSize: 2,
  learningRate: 3e-3,
  valFraction: 0.25,
  valInterval: 2,
  augment: { rotate90: null },
  seed: 5,
};

/** Folders made by the helpers, removed by cleanup(). */
export function tempFolders(): { make: (prefix: string) => string; cleanup: () => void } {
  const made: string[] = [];
  return {
    make: (prefix) => {
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
 * Writes a cohort of `n` phantoms (half with a lesion, 24^3 voxels; the voxel size follows from the head's
 * field of view) into `dir`, with a lesion twice as bright as usual and larger so a tiny net sees it.
 */
export async function writeTinyCohort(dir: string, n = 8, seed = 3): Promise<string> {
  // The old bright-lesion cohort (core/synth: legacyBrightLesion): these tests check the training machinery and
  // need a signal a tiny net learns in a few epochs, not the shortcut-free cohort of the demo (issue #16).
  await generateCohort(dir, { n, seed, shape: [24, 24, 24], lesionContrast: 1, lesionRadiusMm: 25, legacyBrightLesion: true });
  return dir;
}

/** A new study in `studyDir` holding the cohort's images (by reference) labeled 'control' / 'lesion'. */
export async function tinyStudy(
  cohortDir: string,
  studyDir: string,
  options: { labels?: boolean } = {},
): Promise<Study> {
  const study = openStudy(studyDir, { create: { name: 'tiny training test' } });
  await importFolder(study, path.join(cohortDir, 'images'), {
    ...(options.labels === false
      ? {}
      : { labelsCsv: path.join(cohortDir, 'labels.csv'), labelColumn: 'group' }),
    copy: false,
    author: 'test',
  });
  return study;
}
