// The worker-thread training path that `voxlab serve` and the desktop core use (the compiled worker only
// exists under dist/, so the test builds it): progress, epochs and the summary arrive; cancel stops it.

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json, TrainProgress } from '../api/index.js';
import { VoxlabError } from '../common/errors.js';
import { REPO_ROOT } from '../datastore/testing/fixtures.js';
import { buildChild } from '../datastore/testing/buildChild.js';
import { TINY_CONFIG, tempFolders, tinyStudy, writeTinyCohort } from '../train/testing/tinyStudy.js';
import { workerAvailable, workerTrainRunner, type TrainRunner } from './trainJobs.js';

const folders = tempFolders();
let studyDir: string;
let runner: TrainRunner;

beforeAll(async () => {
  const cohort = await writeTinyCohort(folders.make('voxlab-tw-cohort-'));
  studyDir = path.join(folders.make('voxlab-tw-study-'), 'study');
  (await tinyStudy(cohort, studyDir)).close();
  const built = buildChild(
    path.join(REPO_ROOT, 'core/server/trainWorker.ts'),
    REPO_ROOT,
    folders.make('voxlab-tw-build-'),
  );
  const url = pathToFileURL(built);
  expect(workerAvailable(url)).toBe(true);
  runner = workerTrainRunner(studyDir, url);
}, 120_000);

afterAll(() => folders.cleanup());

describe('training in a worker thread', () => {
  it('reports progress and epochs, and ends with the summary', async () => {
    const progress: TrainProgress[] = [];
    const epochs: number[] = [];
    const result = await runner(
      { mode: 'start', config: { ...TINY_CONFIG, epochs: 2 } as unknown as Json, runId: 'worker-run' },
      {
        signal: new AbortController().signal,
        onProgress: (p) => progress.push(p),
        onEpoch: (e) => epochs.push(e),
      },
    );
    expect(result).toMatchObject({ modelId: 'worker-run', epochs: 2 });
    expect(progress.length).toBeGreaterThan(2);
    expect(epochs).toEqual([1, 2]);
  }, 120_000);

  it('stops on abort with CANCELLED, and a bad run fails with its code', async () => {
    const controller = new AbortController();
    const failure = await runner(
      { mode: 'start', config: { ...TINY_CONFIG, epochs: 40 } as unknown as Json, runId: 'worker-stop' },
      { signal: controller.signal, onProgress: () => controller.abort(), onEpoch: () => undefined },
    ).then(
      () => null,
      (e: unknown) => e as VoxlabError,
    );
    expect(failure).toBeInstanceOf(VoxlabError);
    expect(failure!.code).toBe('CANCELLED');
    const missing = await runner(
      { mode: 'resume', runId: 'no-such-run' },
      { signal: new AbortController().signal, onProgress: () => undefined, onEpoch: () => undefined },
    ).then(
      () => null,
      (e: unknown) => e as VoxlabError,
    );
    expect(missing?.code).toBe('NOT_FOUND');
  }, 120_000);
});
