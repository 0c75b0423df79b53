// The 'monai' engine through the train.* handlers (issue #14): train.engines reports the Python, and
// train.start({ engine: 'monai' }) runs the study's bundle as a job with the same events as a voxlab run.
// A fake Python (core/bundle/testing) writes the metrics, so no torch is needed.

import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEvent, JobInfo } from '../../api/index.js';
import { writeFakeBundle, writeFakePython } from '../../bundle/testing/fakePython.js';
import type { Study } from '../../datastore/index.js';
import { makeTempDirs, studyWithImages } from '../../datastore/testing/fixtures.js';
import { EventHub } from '../events.js';
import { JobManager } from '../jobs.js';
import type { ServiceContext } from './context.js';
import { trainingHandlers } from './training.js';

const tmp = makeTempDirs();
let study: Study;
let context: ServiceContext;
let events: ApiEvent[];
let root: string;

beforeEach(async () => {
  root = tmp.make();
  study = await studyWithImages(root, ['a']);
  const hub = new EventHub();
  events = [];
  hub.subscribe((e) => events.push(e));
  context = { study, jobs: new JobManager(hub), events: hub, version: 'test', backend: () => Promise.reject(new Error('no backend in this test')) };
});
afterEach(() => {
  study.close();
  tmp.cleanup();
});

async function waitForEnd(id: string): Promise<JobInfo> {
  for (let i = 0; i < 400; i++) {
    const job = context.jobs.get(id);
    if (job.state !== 'running') return job;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${id} did not end`);
}

describe("train.* with the 'monai' engine", () => {
  it('reports whether a Python with MONAI is found, probing once unless asked to refresh', async () => {
    const python = await writeFakePython(root);
    const h = trainingHandlers(context, undefined, { python: { python } });
    const first = await h['train.engines']({}, undefined, {} as never);
    expect(first.monai).toMatchObject({ available: true, python, torch: '2.1.0', monai: '1.3.2' });
    expect(await h['train.engines']({}, undefined, {} as never)).toBe(first);
    const missing = trainingHandlers(context, undefined, { python: { python: path.join(root, 'nope') } });
    expect((await missing['train.engines']({ refresh: true }, undefined, {} as never)).monai).toMatchObject({ available: false, python: null });
  });

  it('runs the bundle as a training job: progress and epoch events, then the model in the study', async () => {
    const python = await writeFakePython(root);
    await writeFakeBundle(path.join(study.dir, 'bundles', 'mon-job'));
    const h = trainingHandlers(context, undefined, { python: { python, env: { ...process.env, FAKE_BUNDLE: 'ok' } } });
    const job = await h['train.start']({ runId: 'mon-job', engine: 'monai' }, undefined, {} as never);
    expect(job.subject).toEqual({ runId: 'mon-job', engine: 'monai' });
    const end = await waitForEnd(job.id);
    expect(end.error).toBeNull();
    expect(end).toMatchObject({ state: 'done', result: { modelId: 'mon-job', classes: ['F', 'M'], epochs: 2, bestEpoch: 2, backend: 'monai-torch-cpu' } });
    expect(events.filter((e) => e.type === 'train.epoch').map((e) => (e as { epoch: number }).epoch)).toEqual([1, 2]);
    expect(events.some((e) => e.type === 'train.progress')).toBe(true);
    expect((await h['train.status']({}, undefined, {} as never)).runs).toContain('mon-job');
    expect((await h['train.metrics']({ modelId: 'mon-job' }, undefined, {} as never)).map((m) => m.epoch)).toEqual([1, 2]);
  });

  it('ends the job failed with PYTHON_NOT_FOUND when the server has no Python with MONAI', async () => {
    const h = trainingHandlers(context, undefined, { python: { python: path.join(root, 'nope') } });
    const job = await h['train.start']({ runId: 'mon-none', engine: 'monai' }, undefined, {} as never);
    const end = await waitForEnd(job.id);
    expect(end.state).toBe('failed');
    expect(end.error).toMatchObject({ code: 'PYTHON_NOT_FOUND', message: expect.stringMatching(/pip install torch monai/) });
  });

  it('stops the bundle on train.stop', async () => {
    const python = await writeFakePython(root);
    await writeFakeBundle(path.join(study.dir, 'bundles', 'mon-slow'));
    const h = trainingHandlers(context, undefined, { python: { python, env: { ...process.env, FAKE_BUNDLE: 'slow' } } });
    const job = await h['train.start']({ runId: 'mon-slow', engine: 'monai' }, undefined, {} as never);
    for (let i = 0; i < 200 && !events.some((e) => e.type === 'train.epoch'); i++) await new Promise((r) => setTimeout(r, 25));
    await h['train.stop']({}, undefined, {} as never);
    expect((await waitForEnd(job.id)).state).toBe('cancelled');
  });
});
