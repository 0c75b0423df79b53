// Inference, explanation and active learning through the HTTP contract, on a tiny study with a finished
// training run (seeded weights): jobs finish with results, predictions are stored with their confidence,
// explanation maps come back on the scan's grid and are stored in the study (listed, and opened again by a
// restarted server), and bad requests are refused at once with coded errors.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClient,
  httpTransport,
  type ApiEvent,
  type CoreApi,
  type ExplainResult,
} from '../api/index.js';
import { openStudy, type Study } from '../datastore/index.js';
import { writeRun } from '../infer/testing/fixtures.js';
import { tempFolders, tinyStudy, writeTinyCohort } from '../train/testing/tinyStudy.js';
import { startHttpServer, type RunningServer } from './httpServer.js';
import { failure } from './testing/fixtures.js';
import { createService, type Service } from './service/index.js';

const folders = tempFolders();
let study: Study;
let service: Service;
let server: RunningServer;
let api: CoreApi;
let imageId = '';

beforeAll(async () => {
  const cohort = await writeTinyCohort(folders.make('voxlab-inf-cohort-'), 4);
  const dir = path.join(folders.make('voxlab-inf-study-'), 'study');
  study = await tinyStudy(cohort, dir, { labels: false });
  await writeRun(dir, 'run-1', {
    config: { model: 'tiny', modelOverrides: { blockConfig: [2, 2] }, inputSize: 16 },
    classes: ['control', 'lesion'],
  });
  service = createService(study, { version: '0.0.0-test' });
  server = await startHttpServer(service, { token: 't0ken', rendererDir: null });
  api = createClient(httpTransport({ baseUrl: server.url, token: 't0ken' }));
  imageId = study.listImages()[0]!.id;
}, 120_000);

afterAll(async () => {
  await service.close();
  await server.close();
  study.close();
  folders.cleanup();
});

describe('inference and explanation over HTTP', () => {
  it('infers one image as a job and stores the prediction (status predicted)', async () => {
    const job = await api.infer.run({ modelId: 'run-1', imageId });
    const done = await api.waitForJob(job.id);
    expect(done.state, JSON.stringify(done.error)).toBe('done');
    const result = done.result as { classes: string[]; probabilities: number[]; label: string };
    expect(result.classes).toEqual(['control', 'lesion']);
    expect(result.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(result.classes).toContain(result.label);
    const image = await api.datastore.image({ imageId });
    expect(image.status).toBe('predicted');
    expect(image.prediction).toMatchObject({
      modelId: 'run-1',
      label: result.label,
      classes: result.classes,
      probabilities: result.probabilities,
      probability: result.probabilities[result.classes.indexOf(result.label)],
    });
    expect(image.prediction!.probability).toBeGreaterThanOrEqual(0.5); // the predicted of two classes
  }, 60_000);

  it('runs occlusion on one slice and serves the map on the scan grid', async () => {
    const job = await api.explain.run({
      modelId: 'run-1',
      imageId,
      method: 'occlusion',
      params: { maskSize: 4, nBatch: 8, slice: [0, 8], activation: 'none' },
    });
    const done = await api.waitForJob(job.id);
    expect(done.state, JSON.stringify(done.error)).toBe('done');
    const volume = await api.datastore.volume({ imageId });
    const map = await api.explain.map({ jobId: job.id });
    expect(map.meta.shape).toEqual(volume.meta.shape);
    expect(map.meta.affine).toEqual(volume.meta.affine);
    expect(map.data.byteLength).toBe(4 * volume.meta.shape.reduce((a, b) => a * b, 1));
    const values = new Float32Array(map.data);
    expect(values.some((v) => v !== 0)).toBe(true);
    expect(done.result).toMatchObject({ method: 'occlusion', modelId: 'run-1', imageId });
    // The same map is stored in the study.
    const stored = await api.explain.open({ mapId: (done.result as unknown as ExplainResult).mapId });
    expect(new Float32Array(stored.data)).toEqual(values);
    expect(stored.meta.shape).toEqual(volume.meta.shape);
  }, 60_000);

  it('stores every finished map: listed newest first with how it was made, and a maps.changed event', async () => {
    const seen: ApiEvent[] = [];
    const stop = api.events.subscribe((e) => seen.push(e));
    await new Promise((r) => setTimeout(r, 100));
    const job = await api.explain.run({
      modelId: 'run-1',
      imageId,
      method: 'occlusion',
      source: 'app',
      params: { maskSize: 8, slice: [2, 4] },
    });
    const done = await api.waitForJob(job.id);
    await new Promise((r) => setTimeout(r, 100));
    stop();
    expect(done.state, JSON.stringify(done.error)).toBe('done');
    const result = done.result as unknown as ExplainResult;
    expect(seen).toContainEqual({ type: 'maps.changed', imageId });
    const maps = await api.explain.list({ imageId });
    expect(maps[0]).toMatchObject({
      id: result.mapId,
      imageId,
      modelId: 'run-1',
      method: 'occlusion',
      classIndex: result.classIndex,
      source: 'app',
      min: result.min,
      max: result.max,
      params: {
        maskSize: 8,
        slice: [2, 4],
        nBatch: 16,
        overlap: 0.25,
        mode: 'mean_surround',
        activation: 'softmax',
        view: 'importance',
        preprocess: 'seed',
      },
    });
    expect(['control', 'lesion']).toContain(maps[0]!.className);
    expect(['control', 'lesion']).toContain(maps[0]!.predictedClass);
    expect(maps[0]!.durationMs).toBeGreaterThan(0);
    expect(maps.map((m) => m.source)).toContain('api'); // the earlier run, without a source
    expect(maps.map((m) => m.createdAt)).toEqual([...maps.map((m) => m.createdAt)].sort().reverse());
    expect(await failure(api.explain.list({ imageId: 'nope' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(api.explain.open({ mapId: 'm-nope' }))).toMatchObject({ code: 'NOT_FOUND' });
  }, 60_000);

  it('opens stored maps after a server restart (a new service over the reopened study)', async () => {
    const maps = await api.explain.list({ imageId });
    expect(maps.length).toBeGreaterThan(0);
    const before = await api.explain.open({ mapId: maps[0]!.id });
    const reopened = openStudy(study.dir);
    const service2 = createService(reopened, { version: '0.0.0-test' });
    const server2 = await startHttpServer(service2, { token: 't0ken', rendererDir: null });
    try {
      const api2 = createClient(httpTransport({ baseUrl: server2.url, token: 't0ken' }));
      expect(await api2.explain.list({ imageId })).toEqual(maps);
      const after = await api2.explain.open({ mapId: maps[0]!.id });
      expect(after.meta).toEqual(before.meta);
      expect(new Float32Array(after.data)).toEqual(new Float32Array(before.data));
      expect(await api2.jobs.list({})).toEqual([]); // nothing of the first server's jobs: the map came from the study
    } finally {
      await service2.close();
      await server2.close();
      reopened.close();
    }
  }, 60_000);

  // Issue #18: jobs.cancel of an occlusion job lands within one batch of windows, and the scan can be
  // explained again at once.
  it('cancels a running occlusion job within a batch; a new run then finishes', async () => {
    const seen: ApiEvent[] = [];
    const unsubscribe = api.events.subscribe((e) => seen.push(e));
    try {
      await new Promise((r) => setTimeout(r, 100));
      const params = { maskSize: 2, nBatch: 1, overlap: 0, activation: 'none' }; // 512 windows, one per batch
      const job = await api.explain.run({ modelId: 'run-1', imageId, method: 'occlusion', params });
      const batches = () => seen.filter((e) => e.type === 'job' && e.job.id === job.id && e.job.state === 'running').length;
      for (let i = 0; i < 400 && batches() < 3; i++) await new Promise((r) => setTimeout(r, 25));
      expect(batches()).toBeGreaterThanOrEqual(3);
      const cancelled = await api.jobs.cancel({ jobId: job.id });
      expect(cancelled.id).toBe(job.id);
      const atCancel = batches();
      const end = await api.waitForJob(job.id);
      expect(end.state).toBe('cancelled');
      expect(end.error?.code).toBe('CANCELLED');
      expect(batches() - atCancel).toBeLessThanOrEqual(2); // the batch in flight and its report, no more
      const again = await api.waitForJob(
        (await api.explain.run({ modelId: 'run-1', imageId, method: 'occlusion', params: { maskSize: 8, activation: 'none' } })).id,
      );
      expect(again.state, JSON.stringify(again.error)).toBe('done');
    } finally {
      unsubscribe();
    }
  }, 60_000);

  it('runs Grad-CAM (high = important, in [0, 1])', async () => {
    const job = await api.explain.run({ modelId: 'run-1', imageId, method: 'gradcam' });
    const done = await api.waitForJob(job.id);
    expect(done.state, JSON.stringify(done.error)).toBe('done');
    const r = done.result as { min: number; max: number };
    expect(r.min).toBeGreaterThanOrEqual(0);
    expect(r.max).toBeLessThanOrEqual(1);
  }, 60_000);

  it('refuses unknown models, images and params at once', async () => {
    expect(
      await failure(api.explain.run({ modelId: 'run-1', imageId: 'nope', method: 'occlusion' })),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      await failure(
        api.explain.run({ modelId: 'run-1', imageId, method: 'occlusion', params: { maskSize: 4, blur: 1 } }),
      ),
    ).toMatchObject({ code: 'BAD_ARGUMENT' });
    // Only the CLI records source 'cli' (it writes to the study directly); API callers are 'app' or 'api'.
    expect(
      await failure(
        api.explain.run({ modelId: 'run-1', imageId, method: 'occlusion', source: 'cli' as 'api' }),
      ),
    ).toMatchObject({ code: 'BAD_ARGUMENT' });
    const job = await api.infer.run({ modelId: 'no-such-model', imageId });
    const done = await api.waitForJob(job.id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(api.explain.map({ jobId: job.id }))).toMatchObject({ code: 'BAD_ARGUMENT' });
  }, 60_000);

  it('names the next image by TTA disagreement with a model, and refuses tta without one', async () => {
    const pick = await api.active.next({ strategy: 'tta', modelId: 'run-1' });
    expect(study.listImages().map((i) => i.id)).toContain(pick.imageId);
    expect(pick.ranking.length).toBe(pick.remaining);
    expect(await failure(api.active.next({ strategy: 'tta' }))).toMatchObject({ code: 'BAD_ARGUMENT' });
  }, 60_000);
});
