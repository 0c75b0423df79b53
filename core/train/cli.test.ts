// The train, evaluate and doctor commands run in-process through runCli (the lead registers them in
// core/cli/commands/index.ts; here they are passed to runCli directly).

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doctorCommand } from '../cli/commands/doctor.js';
import { evaluateCommand } from '../cli/commands/evaluate.js';
import { trainCommand } from '../cli/commands/train.js';
import { runCommands } from '../cli/testing/captureCli.js';
import { openStudy } from '../datastore/index.js';
import { useBackend } from '../model/testing/backends.js';
import { tempFolders, tinyStudy, writeTinyCohort } from './testing/tinyStudy.js';

const COMMANDS = [trainCommand, evaluateCommand, doctorCommand];
const temp = tempFolders();
let studyDir = '';

/** Runs `voxlab ...argv` in-process; returns the exit code and what went to stdout and stderr. */
const voxlab = (...argv: string[]) => runCommands(COMMANDS, ...argv);

beforeAll(async () => {
  const cohort = await writeTinyCohort(temp.make('voxlab-cohort-'), 6);
  studyDir = path.join(temp.make('voxlab-cli-'), 'study');
  (await tinyStudy(cohort, studyDir)).close();
});

afterAll(async () => {
  temp.cleanup();
  await useBackend('cpu');
});

describe('voxlab train / evaluate / doctor', () => {
  it('trains with the given settings, prints epoch lines and a summary, and evaluates the model', async () => {
    const train = await voxlab(
      'train',
      '--study',
      studyDir,
      '--model',
      'tiny',
      '--size',
      '32',
      '--epochs',
      '2',
      '--lr',
      '1e-3',
      '--rotate-prob',
      '0',
      '--id',
      'cli',
      '--backend',
      'cpu',
    );
    expect(train.stderr).toContain('epoch 2/2  train loss');
    expect(train.code, train.stderr).toBe(0);
    expect(train.stdout).toMatch(
      /^model {4}cli \(recorded in the study; classes control, lesion\)\nbest {5}epoch 2: val accuracy/,
    );
    const study = openStudy(studyDir);
    try {
      const config = study.getModel('cli').config as {
        train: { epochs: number; learningRate: number; inputSize: number; augment: { rotate90: unknown } };
      };
      expect(config.train).toMatchObject({
        epochs: 2,
        learningRate: 1e-3,
        inputSize: 32,
        augment: { rotate90: null },
      });
    } finally {
      study.close();
    }
    const evaluated = await voxlab(
      'evaluate',
      '--study',
      studyDir,
      '--model',
      'cli',
      '--json',
      '--backend',
      'cpu',
    );
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(JSON.parse(evaluated.stdout)).toMatchObject({
      modelId: 'cli',
      classes: ['control', 'lesion'],
      metrics: { n: 2 },
    });
  });

  it.each([
    [['train', '--study', 'STUDY', '--epochs', '0'], '--epochs must be a whole number of at least 1'],
    [['train', '--study', 'STUDY', '--model', 'resnet'], '--model must be one of densenet121, small, tiny'],
    [
      ['train', '--study', 'STUDY', '--size', '16'],
      'Training config: model densenet121 does not fit inputSize 16',
    ],
    [['train', '--study', 'STUDY', '--resume', 'nope', '--backend', 'cpu'], 'No training run in'],
    [
      ['train', '--study', 'STUDY', '--resume', 'cli', '--epochs', '9'],
      '--resume continues a run with its own settings: drop --epochs',
    ],
    [
      ['evaluate', '--study', 'STUDY', '--model', 'nope', '--backend', 'cpu'],
      'The study has no model "nope" [NOT_FOUND]',
    ],
  ])('%j fails with one clear line', async (argv, message) => {
    const { code, stderr } = await voxlab(...argv.map((a) => (a === 'STUDY' ? studyDir : a)));
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(
      stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('voxlab ')),
    ).toHaveLength(1);
  });

  it('doctor reports the backends, the GPU path and onnxruntime as JSON', async () => {
    const { code, stdout } = await voxlab('doctor', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      backend: string;
      candidates: { name: string }[];
      gpu: { detail: string };
      webgpu: { detail: string };
      onnxruntime: { installed: boolean };
    };
    expect(['webgpu', 'tensorflow', 'wasm', 'cpu']).toContain(report.backend);
    expect(report.candidates.map((c) => c.name)).toEqual(['webgpu', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']);
    expect(report.gpu.detail).toMatch(/tfjs-node-gpu/);
    // No GPU driver here: a software adapter at most, passed over, with the way to a GPU in words.
    if (report.backend !== 'webgpu') expect(report.webgpu.detail).toMatch(/Vulkan|Metal|Direct3D|not in use/);
    expect(typeof report.onnxruntime.installed).toBe('boolean');
  });
});
