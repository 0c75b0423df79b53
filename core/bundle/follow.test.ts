import { appendFileSync, promises as fsp, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDirs, studyWithImages } from '../datastore/testing/fixtures.js';
import { followMetrics } from './follow.js';
import { MetricsTail, parseMetricsLine } from './followLines.js';
import { bundleInputSize, recordBundleEpoch, recordBundleModel } from './followRecord.js';

const tmp = makeTempDirs();
afterEach(() => tmp.cleanup());

const start = { event: 'start', epochs: 2, train: 8, val: 2, classes: ['F', 'M'], world_size: 1, device: 'cpu' };
const epoch = (k: number, val: object | null) => ({
  event: 'epoch',
  epoch: k,
  train: { loss: 0.5, accuracy: 0.75, n: 8 },
  val,
  seconds: 2,
  backend: 'monai-torch-cpu',
});
const val = (accuracy: number, loss: number) => ({ n: 2, loss, accuracy, auc: 0.5, confusion: [[1, 0], [0, 1]] });
const jsonl = (...lines: object[]) => lines.map((l) => `${JSON.stringify(l)}\n`).join('');

describe('metrics.jsonl lines', () => {
  it.each([
    ['a start line', JSON.stringify(start), 'start'],
    ['an epoch with NaN loss (Python json.dumps)', '{"event":"epoch","epoch":1,"train":{"loss":NaN,"accuracy":0.5,"n":4},"val":null,"seconds":1,"backend":"x"}', 'epoch'],
    ['a done line', '{"event":"done","best_epoch":2,"model":"models/model.pt"}', 'done'],
  ])('reads %s', (_what, text, event) => {
    expect(parseMetricsLine(text).event).toBe(event);
  });

  it('reads NaN as null', () => {
    const line = parseMetricsLine('{"event":"epoch","epoch":1,"train":{"loss":NaN,"accuracy":0.5,"n":4},"val":null,"seconds":1,"backend":"x"}');
    expect(line).toMatchObject({ train: { loss: null } });
  });

  it.each([
    ['not JSON', '{"event":', /not JSON/],
    ['an unknown event', '{"event":"party"}', /unknown event/],
    ['an epoch without train', '{"event":"epoch","epoch":1,"val":null,"seconds":1}', /train must be/],
    ['a done without model', '{"event":"done","best_epoch":1}', /model must/],
  ])('refuses %s', (_what, text, why) => {
    expect(() => parseMetricsLine(text)).toThrow(why);
  });

  it('waits for a torn last line, keeps a cut UTF-8 character whole, and rereads a rewritten file', async () => {
    const file = path.join(tmp.make(), 'metrics.jsonl');
    const tail = new MetricsTail(file);
    expect((await tail.read()).lines).toEqual([]); // no file yet
    const bytes = Buffer.from(jsonl({ ...start, classes: ['Fé', 'M'] }));
    writeFileSync(file, bytes.subarray(0, bytes.indexOf('é') + 1)); // half of é's two bytes
    expect((await tail.read()).lines).toEqual([]);
    appendFileSync(file, bytes.subarray(bytes.indexOf('é') + 1));
    const first = await tail.read();
    expect(first.lines).toEqual([{ ...start, classes: ['Fé', 'M'] }]);
    appendFileSync(file, 'garbage\n');
    expect((await tail.read()).malformed).toEqual([{ line: 2, text: 'garbage', reason: expect.stringMatching(/not JSON/) }]);
    writeFileSync(file, jsonl({ event: 'error', message: 'x' }));
    const again = await tail.read();
    expect(again.restarted).toBe(true);
    expect(again.lines).toEqual([{ event: 'error', message: 'x' }]);
  });
});

describe('following a metrics file', () => {
  it('turns epochs into progress and epoch events as lines arrive, and ends at done', async () => {
    const file = path.join(tmp.make(), 'metrics.jsonl');
    const progress: object[] = [];
    const bests: (number | null)[] = [];
    const malformed: number[] = [];
    const following = followMetrics(file, {
      pollMs: 20,
      onProgress: (p) => progress.push(p),
      onEpoch: (_r, best) => bests.push(best?.epoch ?? null),
      onMalformed: (m) => malformed.push(m.line),
    });
    writeFileSync(file, jsonl(start, epoch(1, val(0.5, 0.7))));
    await new Promise((r) => setTimeout(r, 80));
    appendFileSync(file, 'oops\n');
    appendFileSync(file, jsonl(epoch(2, val(0.5, 0.9))).slice(0, 20)); // torn: being written
    await new Promise((r) => setTimeout(r, 80));
    appendFileSync(file, jsonl(epoch(2, val(0.5, 0.9))).slice(20));
    appendFileSync(file, jsonl({ event: 'done', best_epoch: 1, model: 'models/model.pt' }));
    const result = await following;
    expect(result.history.map((r) => r.epoch)).toEqual([1, 2]);
    expect(result.history[0]).not.toHaveProperty('event');
    expect(bests).toEqual([1, 1]); // epoch 2 ties on accuracy with a higher loss: epoch 1 stays best
    expect(malformed).toEqual([3]);
    expect(progress[0]).toEqual({ phase: 'validate', epoch: 1, epochs: 2, step: 1, stepsPerEpoch: 1, loss: 0.5, etaS: 2 });
    expect(progress[1]).toMatchObject({ epoch: 2, etaS: 0 });
    expect(result.done.model).toBe('models/model.pt');
  });

  it.each([
    ['an error line', jsonl(start, { event: 'error', message: 'CUDA out of memory' }), /training failed: CUDA out of memory/],
    ['a writer that ended without done', jsonl(start, epoch(1, null)), /ended before .* said done \(1 epoch/],
  ])('fails with BUNDLE_FAILED on %s', async (_what, text, message) => {
    const file = path.join(tmp.make(), 'metrics.jsonl');
    writeFileSync(file, text);
    const failed = followMetrics(file, { pollMs: 10, writerEnded: Promise.resolve() });
    await expect(failed).rejects.toMatchObject({ code: 'BUNDLE_FAILED', message: expect.stringMatching(message) });
  });

  it('stops with CANCELLED when its signal aborts', async () => {
    const file = path.join(tmp.make(), 'metrics.jsonl');
    const controller = new AbortController();
    const following = followMetrics(file, { pollMs: 5000, signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    const t0 = Date.now();
    await expect(following).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(Date.now() - t0).toBeLessThan(1000); // the poll wait ends at the abort
  });
});

describe('recording a followed run in the study', () => {
  it('records epochs once and the model with its weights copied into models/<runId>/', async () => {
    const root = tmp.make();
    const study = await studyWithImages(path.join(root, 's'), ['a']);
    try {
      const out = path.join(root, 'bundle');
      await fsp.mkdir(path.join(out, 'models'), { recursive: true });
      await fsp.mkdir(path.join(out, 'configs'));
      writeFileSync(path.join(out, 'models', 'model.pt'), 'pt');
      writeFileSync(path.join(out, 'models', 'model.safetensors'), 'st');
      writeFileSync(path.join(out, 'configs', 'metadata.json'), JSON.stringify({ network_data_format: { inputs: { image: { spatial_shape: [64, 64, 64] } } } }));
      const e1 = { ...epoch(1, val(1, 0.1)) } as Record<string, unknown>;
      delete e1.event;
      const record = e1 as never;
      recordBundleEpoch(study, 'm1', record);
      recordBundleEpoch(study, 'm1', record); // following again: no ALREADY_EXISTS
      expect(study.getRunMetrics('m1').map((r) => r.epoch)).toEqual([1]);
      const result = {
        start: start as never,
        history: [record],
        best: null,
        lastCheckpoint: null,
        done: { event: 'done' as const, best_epoch: 1, model: 'models/model.pt' },
      };
      const model = await recordBundleModel(study, { runId: 'm1', outputDir: out, bundleDir: out, dataVersion: 'v1' }, result);
      expect(model).toMatchObject({
        id: 'm1',
        kind: 'classifier',
        path: 'models/m1/model.safetensors',
        backend: 'monai-torch-cpu',
        dataVersion: 'v1',
        config: { engine: 'monai', classes: ['F', 'M'], inputSize: 64, files: { pt: 'models/m1/model.pt', safetensors: 'models/m1/model.safetensors' } },
        metrics: { bestEpoch: 1, best: { accuracy: 1 }, epochs: 1 },
      });
      expect(await fsp.readFile(path.join(study.dir, 'models', 'm1', 'model.pt'), 'utf8')).toBe('pt');
      expect(await recordBundleModel(study, { runId: 'm1', outputDir: out, bundleDir: out, dataVersion: 'v1' }, result)).toEqual(model);
      await expect(
        recordBundleModel(study, { runId: 'm2', outputDir: out, bundleDir: path.join(root, 'none'), dataVersion: null }, result),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      study.close();
    }
  });

  it('reads no input size from a folder without metadata', async () => {
    expect(await bundleInputSize(tmp.make())).toBeNull();
  });
});

describe('following a run started elsewhere', () => {
  it('finds metrics.jsonl from the bundle root or its output folder', async () => {
    const root = tmp.make();
    const out = path.join(root, 'runs', 'train');
    await fsp.mkdir(out, { recursive: true });
    writeFileSync(path.join(out, 'metrics.jsonl'), '');
    const { followTarget } = await import('./followRun.js');
    expect(followTarget(root)).toEqual({ bundleDir: root, outputDir: out, metricsFile: path.join(out, 'metrics.jsonl') });
    expect(followTarget(out)).toEqual({ bundleDir: root, outputDir: out, metricsFile: path.join(out, 'metrics.jsonl') });
    expect(() => followTarget(path.join(root, 'runs'))).toThrow(/neither a MONAI bundle/);
  });

  it('records a finished run into the study, and again without duplicates', async () => {
    const root = tmp.make();
    const study = await studyWithImages(path.join(root, 's'), ['a']);
    try {
      const bundle = path.join(root, 'b');
      await fsp.mkdir(path.join(bundle, 'runs', 'train'), { recursive: true });
      await fsp.mkdir(path.join(bundle, 'models'));
      writeFileSync(path.join(bundle, 'models', 'model.pt'), 'pt');
      writeFileSync(
        path.join(bundle, 'runs', 'train', 'metrics.jsonl'),
        jsonl(start, epoch(1, null), epoch(2, val(0.5, 0.3)), { event: 'done', best_epoch: 2, model: 'models/model.pt' }),
      );
      const { followBundleRun } = await import('./followRun.js');
      const r = await followBundleRun(study, bundle, { runId: 'remote-1', pollMs: 10 });
      expect(r.model).toMatchObject({ id: 'remote-1', path: 'models/remote-1/model.pt', metrics: { bestEpoch: 2 } });
      await followBundleRun(study, bundle, { runId: 'remote-1', pollMs: 10 });
      expect(study.getRunMetrics('remote-1').map((m) => m.epoch)).toEqual([1, 2]);
    } finally {
      study.close();
    }
  });
});
