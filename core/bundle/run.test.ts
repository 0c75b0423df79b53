import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Study } from '../datastore/index.js';
import { makeTempDirs, studyWithImages } from '../datastore/testing/fixtures.js';
import { runBundle, type BundleRunOptions } from './run.js';
import { bundleCommand, splitLauncher } from './runCommand.js';
import { writeFakeBundle, writeFakePython } from './testing/fakePython.js';

const tmp = makeTempDirs();
let study: Study;
let root: string;
let python: string;
let bundleDir: string;
beforeEach(async () => {
  root = tmp.make();
  study = await studyWithImages(path.join(root, 'study'), ['a']);
  python = await writeFakePython(root);
  bundleDir = path.join(root, 'bundle');
  await writeFakeBundle(bundleDir);
});
afterEach(() => {
  study.close();
  tmp.cleanup();
});

const run = (mode: string, extra: Partial<BundleRunOptions> = {}) =>
  runBundle(study, { runId: 'mon-1', bundleDir, python, pollMs: 20, env: { ...process.env, FAKE_BUNDLE: mode }, ...extra });

describe('the bundle command line', () => {
  it.each([
    [undefined, ['py', '-m', 'monai.bundle', 'run', '--config_file', '/b/configs/train.json', '--bundle_root', '/b']],
    ['torchrun --nproc_per_node 4', ['py', '-m', 'torch.distributed.run', '--nproc_per_node', '4', '-m', 'monai.bundle', 'run', '--config_file', '/b/configs/train.json', '--bundle_root', '/b']],
    ['srun -n "2"', ['srun', '-n', '2', 'py', '-m', 'monai.bundle', 'run', '--config_file', '/b/configs/train.json', '--bundle_root', '/b']],
  ])('with launcher %s', (launch, argv) => {
    expect(bundleCommand('py', '/b', launch)).toEqual(argv);
  });

  it('refuses an unclosed quote', () => {
    expect(() => splitLauncher('torchrun "--nproc')).toThrow(/--launch must be/);
  });
});

describe('running a bundle as a voxlab run', () => {
  it('streams epochs into events and the study, and records the model at done', async () => {
    const epochs: number[] = [];
    const progress: number[] = [];
    const r = await run('ok', { onEpoch: (e) => epochs.push(e.epoch), onProgress: (p) => progress.push(p.epoch), env: { ...process.env, FAKE_BUNDLE: 'ok', FAKE_SAFETENSORS: '1' } });
    expect(epochs).toEqual([1, 2]);
    expect(progress).toEqual([1, 2]);
    expect(study.getRunMetrics('mon-1').map((m) => m.epoch)).toEqual([1, 2]);
    expect(r.model).toMatchObject({ id: 'mon-1', path: 'models/mon-1/model.safetensors', config: { engine: 'monai', inputSize: 32, classes: ['F', 'M'] } });
    expect(r.model.dataVersion).toBe(study.dataVersion());
    const log = await fsp.readFile(r.logFile, 'utf8');
    expect(log).toContain('-m monai.bundle run --config_file');
    expect(log).toContain('fake bundle (ok)');
  });

  it('moves an old metrics.jsonl aside so that its done line does not end the new run', async () => {
    await fsp.mkdir(path.join(bundleDir, 'runs', 'train'), { recursive: true });
    await fsp.writeFile(path.join(bundleDir, 'runs', 'train', 'metrics.jsonl'), '{"event":"done","best_epoch":9,"model":"old.pt"}\n');
    const r = await run('ok');
    expect(r.done.best_epoch).toBe(2);
    expect(existsSync(path.join(bundleDir, 'runs', 'train', 'metrics.previous.jsonl'))).toBe(true);
  });

  it.each([
    ['an error line', 'error', /training failed: RuntimeError: shapes do not match \(fake\).*exit code 1/s],
    ['a crash', 'crash', /ended before .* said done \(1 epoch\(s\).*exit code 3.*CUDA out of memory \(fake\)/s],
  ])('fails with BUNDLE_FAILED and the log tail on %s', async (_what, mode, message) => {
    await expect(run(mode)).rejects.toMatchObject({ code: 'BUNDLE_FAILED', message: expect.stringMatching(message) });
    expect(study.listModels()).toEqual([]);
  });

  it('tolerates torn and malformed lines', async () => {
    const malformed: string[] = [];
    const r = await run('partial', { onMalformed: (m) => malformed.push(m.text) });
    expect(malformed).toEqual(['not json at all']);
    expect(r.history.map((h) => h.epoch)).toEqual([1, 2]);
  });

  it('stops the process group on cancel and keeps the epochs so far', async () => {
    const controller = new AbortController();
    const running = run('slow', { signal: controller.signal, onEpoch: (e) => e.epoch === 2 && controller.abort() });
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
    const seen = study.getRunMetrics('mon-1').length;
    expect(seen).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 500));
    expect(study.getRunMetrics('mon-1').length).toBe(seen); // nothing writes after the stop
    const lines = (await fsp.readFile(path.join(bundleDir, 'runs', 'train', 'metrics.jsonl'), 'utf8')).trim().split('\n').length;
    await new Promise((r) => setTimeout(r, 500));
    expect((await fsp.readFile(path.join(bundleDir, 'runs', 'train', 'metrics.jsonl'), 'utf8')).trim().split('\n').length).toBe(lines);
  });

  it.each([
    ['PYTHON_NOT_FOUND without MONAI', async () => ({ python: await writeFakePython(tmp.make(), { withMonai: false }) }), 'PYTHON_NOT_FOUND'],
    ['NOT_FOUND without a bundle or an exporter', async () => ({ bundleDir: tmp.make() }), 'NOT_FOUND'],
  ])('refuses with %s', async (_what, extra, code) => {
    await expect(run('ok', await extra())).rejects.toMatchObject({ code });
  });

  it('exports the bundle first when the folder has none', async () => {
    const target = path.join(root, 'new-bundle');
    const r = await run('ok', { bundleDir: target, exportBundle: (_s, dir) => writeFakeBundle(dir) });
    expect(r.model.config).toMatchObject({ bundle: target });
  });

  it('refuses a run id the study has', async () => {
    await run('ok');
    await expect(run('ok')).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
  });
});
