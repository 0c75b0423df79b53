// Issue #18 over HTTP: train.stop during a later epoch, with every scan in the preprocessing cache, ends the
// job within a step or so, not at the end of the epoch (the training worker used to see its 'cancel' message
// only when the epoch's checkpoint gave the event loop a turn); the run then resumes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, CoreApi, Json, TrainProgress } from '../api/index.js';
import { TINY_CONFIG } from '../train/testing/tinyStudy.js';
import { trainingServer, type TrainingServer } from './testing/trainingServer.js';

let t: TrainingServer;
let api: CoreApi;
let events: ApiEvent[];

beforeAll(async () => {
  // 48 scans: 36 train in batches of 2 = 18 steps an epoch, far more than a stop's round trip takes.
  t = await trainingServer(48);
  ({ api, events } = t);
}, 120_000);

afterAll(() => t.close());

const progressOf = (jobId: string): TrainProgress[] =>
  events.flatMap((e) => (e.type === 'train.progress' && e.jobId === jobId && e.progress.phase === 'train' ? [e.progress] : []));

describe('train.stop in a cached epoch', () => {
  it('ends the job mid-epoch (within a few steps of the stop), and the run resumes', async () => {
    const job = await api.train.start({
      config: { ...TINY_CONFIG, epochs: 2000, valInterval: 1000 } as unknown as Json,
      runId: 'cached-run',
    });
    // Epoch 1 filled the cache; stop at the first step of epoch 3.
    const atStart = () => progressOf(job.id).some((p) => p.epoch >= 3 && p.step === 1);
    for (let i = 0; i < 1200 && !atStart(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(atStart()).toBe(true);
    await api.train.stop();
    const end = await api.waitForJob(job.id);
    expect(end.state).toBe('cancelled');
    const last = progressOf(job.id).at(-1)!;
    expect(last.stepsPerEpoch).toBe(18);
    // Without the fix the job ran to the end of the epoch (step 18 of 18) before it saw the stop.
    expect(last.step).toBeLessThan(last.stepsPerEpoch);
    const resumed = await api.train.resume({ runId: 'cached-run' });
    for (let i = 0; i < 600 && progressOf(resumed.id).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(progressOf(resumed.id).length).toBeGreaterThan(0);
    await api.jobs.cancel({ jobId: resumed.id });
    expect((await api.waitForJob(resumed.id)).state).toBe('cancelled');
  }, 180_000);
});
