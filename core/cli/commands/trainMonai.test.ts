// `voxlab train --engine monai`, `voxlab train --follow` and doctor's Python line, in-process through
// runCommands, with a fake Python (core/bundle/testing) that writes a bundle's metrics.jsonl without torch.

import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeFakeBundle, writeFakePython } from '../../bundle/testing/fakePython.js';
import { openStudy } from '../../datastore/index.js';
import { makeTempDirs, studyWithImages } from '../../datastore/testing/fixtures.js';
import { runCommands } from '../testing/captureCli.js';
import { doctorCommand } from './doctor.js';
import { trainCommand } from './train.js';

const tmp = makeTempDirs();
const voxlab = (...argv: string[]) => runCommands([trainCommand, doctorCommand], ...argv);
let root = '';
let studyDir = '';
let python = '';
const saved = { VOXLAB_PYTHON: process.env.VOXLAB_PYTHON, FAKE_BUNDLE: process.env.FAKE_BUNDLE };

beforeAll(async () => {
  root = tmp.make();
  studyDir = path.join(root, 'study');
  (await studyWithImages(root, ['a'])).close();
  python = await writeFakePython(root);
});
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
  else process.env[k] = v;
});
afterAll(() => tmp.cleanup());

describe('voxlab train --engine monai / --follow', () => {
  it('runs a bundle with --python, prints epoch lines and a summary, and records the model', async () => {
    const bundle = path.join(root, 'b1');
    await writeFakeBundle(bundle);
    const r = await voxlab('train', '--study', studyDir, '--engine', 'monai', '--python', python, '--bundle', bundle, '--id', 'mon-cli');
    expect(r.stderr).toContain('epoch 2/2  train loss 0.5000 acc 0.700');
    expect(r.stderr).toContain(`python   ${python}: Python 3.11.0, torch 2.1.0, MONAI 1.3.2, CPU only`);
    expect(r.stdout).toMatch(/^model {4}mon-cli \(recorded in the study; classes F, M\)/);
    expect(r.code).toBe(0);
    const study = openStudy(studyDir);
    try {
      expect(study.getModel('mon-cli').path).toBe('models/mon-cli/model.pt');
    } finally {
      study.close();
    }
  });

  it.each([
    [['--bundle', 'x', '--epochs', '3'], /--bundle runs a bundle with its own settings: drop --epochs/],
    [['--resume', 'r1'], /--resume belong to the voxlab engine/],
    [['--engine', 'tf'], /--engine must be voxlab or monai/],
  ])('refuses %j', async (extra, message) => {
    const r = await voxlab('train', '--study', studyDir, ...(extra[0] === '--engine' ? [] : ['--engine', 'monai', '--python', python]), ...extra);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
  });

  it('says how to get a Python when none with MONAI is found', async () => {
    const bundle = path.join(root, 'b2');
    await writeFakeBundle(bundle);
    const r = await voxlab('train', '--study', studyDir, '--engine', 'monai', '--python', path.join(root, 'nope'), '--bundle', bundle);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/no usable Python at .*nope.*pip install torch monai/);
  });

  it('follows a run started elsewhere through its output folder', async () => {
    const bundle = path.join(root, 'remote-run');
    await fsp.mkdir(path.join(bundle, 'runs', 'train'), { recursive: true });
    await fsp.mkdir(path.join(bundle, 'models'));
    await fsp.writeFile(path.join(bundle, 'models', 'model.pt'), 'pt');
    const lines = [
      { event: 'start', epochs: 1, train: 4, val: 2, classes: ['F', 'M'], world_size: 4, device: 'cuda' },
      { event: 'epoch', epoch: 1, train: { loss: 0.6, accuracy: 0.5, n: 4 }, val: { n: 2, loss: 0.5, accuracy: 1, auc: 1, confusion: [[1, 0], [0, 1]] }, seconds: 3, backend: 'monai-torch-cuda' },
      { event: 'done', best_epoch: 1, model: 'models/model.pt' },
    ];
    await fsp.writeFile(path.join(bundle, 'runs', 'train', 'metrics.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const r = await voxlab('train', '--study', studyDir, '--follow', path.join(bundle, 'runs', 'train'), '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { model: { id: string; backend: string; config: { worldSize: number } } };
    expect(out.model).toMatchObject({ id: 'monai-train', backend: 'monai-torch-cuda', config: { worldSize: 4 } });
  });
});

describe('voxlab doctor: the Python for the MONAI engine', () => {
  it('reports the Python VOXLAB_PYTHON names, as a line and as JSON', async () => {
    process.env.VOXLAB_PYTHON = python;
    const text = await voxlab('doctor');
    expect(text.stdout).toContain(`python      ${python}: Python 3.11.0, torch 2.1.0, MONAI 1.3.2, CPU only: voxlab train --engine monai can use it`);
    const json = JSON.parse((await voxlab('doctor', '--json')).stdout) as { python: { found: boolean; monai: string } };
    expect(json.python).toMatchObject({ found: true, monai: '1.3.2' });
  });

  it('says how to get one when there is none', async () => {
    process.env.VOXLAB_PYTHON = path.join(root, 'missing-python');
    const r = await voxlab('doctor');
    expect(r.stdout).toMatch(/python {6}no usable Python at .*missing-python \(not found\): install PyTorch and MONAI/);
  });
});
