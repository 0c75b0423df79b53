// The crash soak in CI (issue #15, item 1): 50 SIGKILLs of the real `voxlab serve` (built from these sources
// into a child process) under a mixed HTTP write load, with a training run resumed after kills and, where the
// shared DICOM data is present, a DICOM series uploaded and imported. Nothing acknowledged may be lost.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildChild } from '../../datastore/testing/buildChild.js';
import { REPO_ROOT, SHARED_DATA, makeTempDirs } from '../../datastore/testing/fixtures.js';
import { crashSoak } from './crashSoak.js';

const KILLS = 50;
const DICOM = path.join(SHARED_DATA, 'dicom', 'tcia_vs_seg_001_t1_mpr_tra_3slices');
const tmp = makeTempDirs();
let entry: string;

beforeAll(() => {
  entry = buildChild(path.join(REPO_ROOT, 'core/server/reliability/soakServe.ts'), REPO_ROOT, tmp.make('voxlab-soak-build-'));
}, 120_000);
afterAll(tmp.cleanup);

it(`keeps every acknowledged write of voxlab serve through ${KILLS} SIGKILLs`, async () => {
  const report = await crashSoak({
    kills: KILLS,
    seed: 20261206,
    serverEntry: entry,
    trainEvery: 12,
    ...(existsSync(DICOM) ? { dicomDir: DICOM, dicomEvery: 12 } : {}),
  });
  const { failures, ...counts } = report;
  console.log(`crash soak: ${JSON.stringify(counts)}`);
  expect(failures).toEqual([]);
  expect(report).toMatchObject({ kills: KILLS, lost_writes: 0, integrity_failures: 0, half_imports: 0, temp_files_left: 0, import_staging_left: 0 });
  // Not vacuous: many writes of every kind were acknowledged, and the run was killed and resumed.
  expect(report.acknowledged_writes).toBeGreaterThan(4 * KILLS);
  expect(report.writes.label).toBeGreaterThan(KILLS);
  expect(report.writes.conflict).toBeGreaterThan(0);
  expect(report.writes.labelmap).toBeGreaterThan(KILLS / 2);
  expect(report.writes.class).toBeGreaterThan(KILLS / 4);
  expect(report.writes.import).toBeGreaterThan(KILLS / 8);
  expect(report.writes.epoch).toBeGreaterThanOrEqual(4);
  expect(report.training_resumes).toBeGreaterThanOrEqual(3);
  expect(report.cycles.early).toBeGreaterThan(0);
  if (existsSync(DICOM)) expect(report.cycles.dicom).toBeGreaterThanOrEqual(3);
}, 600_000);
