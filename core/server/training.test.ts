// Training through the HTTP contract: a tiny run streams progress and epoch metrics as events, records its
// model (listed, exported); stop cancels a running job, which can then be resumed; one run at a time.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, CoreApi, Json } from '../api/index.js';
import type { VoxlabError } from '../common/errors.js';
import type { Study } from '../datastore/index.js';
import { TINY_CONFIG } from '../train/testing/tinyStudy.js';
import { trainingServer, type TrainingServer } from './testing/trainingServer.js';

let t: TrainingServer;
let study: Study;
let api: CoreApi;
let events: ApiEvent[];

beforeAll(async () => {
  t = await trainingServer();
  ({ study, api, events } = t);
}, 120_000);

afterAll(() => t.close());

describe('training over HTTP', () => {
  it('runs a tiny model, streaming progress and per-epoch metrics, and records it', async () => {
    const job = await api.train.start({
      config: { ...TINY_CONFIG, epochs: 2 } as unknown as Json,
      runId: 'web-run',
    });
    expect(job).toMatchObject({ kind: 'train', state: 'running' });
    const done = await api.waitForJob(job.id);
    expect(done.state, JSON.stringify(done.error)).toBe('done');
    expect(done.result).toMatchObject({ modelId: 'web-run', epochs: 2 });
    const mine = events.filter((e) => 'jobId' in e && e.jobId === job.id);
    expect(mine.filter((e) => e.type === 'train.progress').length).toBeGreaterThan(2);
    expect(
      mine.filter((e) => e.type === 'train.epoch').map((e) => (e.type === 'train.epoch' ? e.epoch : 0)),
    ).toEqual([1, 2]);
    expect((await api.train.metrics({ modelId: 'web-run' })).map((m) => m.epoch)).toEqual([1, 2]);
    expect((await api.models.list()).map((m) => m.id)).toContain('web-run');
    const exported = await api.models.export({ modelId: 'web-run' });
    expect(exported.meta.format).toBe('safetensors');
    expect(exported.data.byteLength).toBeGreaterThan(1000);
  }, 120_000);

  it('refuses a bad config at once with TRAIN_CONFIG_INVALID', async () => {
    const e = await api.train.start({ config: { epochs: 0 } }).then(
      () => null,
      (x: unknown) => x as VoxlabError,
    );
    expect(e).toMatchObject({ code: 'TRAIN_CONFIG_INVALID' });
  });

  it('stops a running job (cancelled, epochs kept), refuses a second run meanwhile, and resumes', async () => {
    const job = await api.train.start({
      config: { ...TINY_CONFIG, epochs: 30 } as unknown as Json,
      runId: 'long-run',
    });
    const second = await api.train.start({ config: TINY_CONFIG as unknown as Json }).then(
      () => null,
      (x: unknown) => x as VoxlabError,
    );
    expect(second).toMatchObject({ code: 'ALREADY_EXISTS', details: { status: 429 } });
    // Wait for the first finished epoch, then stop.
    for (let i = 0; i < 600 && !events.some((e) => e.type === 'train.epoch' && e.jobId === job.id); i++)
      await new Promise((r) => setTimeout(r, 50));
    const stopped = await api.train.stop();
    expect(stopped?.id).toBe(job.id);
    const end = await api.waitForJob(job.id);
    expect(end.state).toBe('cancelled');
    expect(end.error?.code).toBe('CANCELLED');
    expect((await api.train.status()).active).toBeNull();
    // The stopped run is not stranded: listed as a stopped model, exportable, usable for inference.
    const listed = (await api.models.list()).find((m) => m.id === 'long-run');
    expect(listed).toMatchObject({ format: 'safetensors', config: { state: 'stopped', of: 30 } });
    expect((listed!.config as { epochs: number }).epochs).toBeGreaterThanOrEqual(1);
    const weights = await api.models.export({ modelId: 'long-run' });
    expect(weights.meta).toMatchObject({ modelId: 'long-run', format: 'safetensors' });
    expect(weights.data.byteLength).toBeGreaterThan(1000);
    const inferred = await api.waitForJob(
      (await api.infer.run({ modelId: 'long-run', imageId: study.listImages()[0]!.id })).id,
    );
    expect(inferred.state, JSON.stringify(inferred.error)).toBe('done');
    const resumed = await api.train.resume({ runId: 'long-run' });
    const stop2 = await api.jobs.cancel({ jobId: resumed.id });
    expect(stop2.id).toBe(resumed.id);
    expect((await api.waitForJob(resumed.id)).state).toMatch(/cancelled|done/);
  }, 120_000);
});
