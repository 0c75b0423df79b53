// Inference, explanation and active learning through the HTTP contract, on a tiny study with a finished
// training run (seeded weights): jobs finish with results, predictions are stored, explanation maps come
// back on the scan's grid, and bad requests are refused at once with coded errors.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, httpTransport, type CoreApi } from '../api/index.js';
import type { Study } from '../datastore/index.js';
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
    expect((await api.datastore.image({ imageId })).status).toBe('predicted');
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
