// `--model` in each of its forms: a study's run (best epoch, else last), a run folder, a safetensors file
// (run.json beside it, an --arch, or the weights' own shapes), an ONNX file; and the errors in words.

import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeDenseNet } from '../model/index.js';
import { referenceBytes, referenceFloat32 } from '../model/testing/backends.js';
import { tempFolders } from '../train/testing/tinyStudy.js';
import { exportOnnx } from './exportOnnx.js';
import { openModelClassifier } from './OrtClassifier.js';
import { PickleWriter, torchSaveBytes } from '../io/pytorch/torchSaveBytes.js';
import { checkpointsUnavailable, makeCheckpoints } from '../io/pytorch/testing/monaiCheckpoints.js';
import { resolveModel } from './resolveModel.js';
import { initialStateDict } from './stateDict.js';
import { weightsBytes, writeRun } from './testing/fixtures.js';

const temp = tempFolders();
afterAll(() => temp.cleanup());
const TINY_RUN = { model: 'tiny', modelOverrides: { blockConfig: [2, 2] }, inputSize: 16 } as const;

describe('resolveModel', () => {
  const study = temp.make('voxlab-resolve-');

  it('resolves a run id of the study to its best epoch, with run.json classes and size', async () => {
    const dir = await writeRun(study, 'run-a', { config: TINY_RUN, classes: ['control', 'lesion', 'other'] });
    const m = await resolveModel('run-a', { studyDir: study });
    expect(m).toMatchObject({
      kind: 'run',
      id: 'run-a',
      source: dir,
      classes: ['control', 'lesion', 'other'],
      inputSize: [16, 16, 16],
    });
    expect(m.weights).toBe(path.join(dir, 'epoch-0001.safetensors'));
    expect(m.network!.description.config).toMatchObject({
      initFeatures: 8,
      blockConfig: [2, 2],
      outChannels: 3,
    });
    // The run folder's path works too, without the study.
    expect((await resolveModel(dir)).id).toBe('run-a');
  });

  it('falls back to the last epoch when no epoch was validated', async () => {
    await writeRun(study, 'run-b', { config: TINY_RUN, classes: ['a', 'b'], best: false });
    const m = await resolveModel('run-b', { studyDir: study });
    expect(m.weights).toMatch(/epoch-0001\.safetensors$/);
  });

  it("imports MONAI's tiny safetensors with --arch tiny and reproduces reference.json in ONNX Runtime", async () => {
    const file = path.join(temp.make('voxlab-st-'), 'densenet_tiny.safetensors');
    writeFileSync(file, referenceBytes('densenet_tiny.safetensors'));
    const m = await resolveModel(file, { arch: 'tiny', inputSize: 32 });
    expect(m).toMatchObject({
      kind: 'safetensors',
      id: 'densenet_tiny.safetensors',
      classes: ['class0', 'class1'],
      inputSize: [32, 32, 32],
    });
    const c = await openModelClassifier(m, { provider: 'cpu' });
    try {
      const logits = await c.predict(referenceFloat32('input_32.f32'), 1);
      const expected = [-0.16278867423534393, 0.03440219908952713];
      expect(Math.max(...expected.map((v, i) => Math.abs(v - logits[i]!)))).toBeLessThan(1e-4);
    } finally {
      await c.dispose();
    }
    // Without --arch the architecture is read off the weights; the default input is 96.
    const bare = await resolveModel(file);
    expect(bare.network!.description.config).toMatchObject({
      initFeatures: 8,
      growthRate: 4,
      bnSize: 2,
      blockConfig: [2, 2, 2, 2],
    });
    expect(bare.inputSize).toEqual([96, 96, 96]);
  });

  it('uses run.json beside a safetensors file', async () => {
    const dir = await writeRun(study, 'run-c', { config: TINY_RUN, classes: ['x', 'y'] });
    const m = await resolveModel(path.join(dir, 'epoch-0001.safetensors'));
    expect(m).toMatchObject({ kind: 'safetensors', classes: ['x', 'y'], inputSize: [16, 16, 16] });
  });

  it('reads class names and size of an ONNX file from our metadata, or names them class0..', async () => {
    const dir = temp.make('voxlab-onnx-');
    const d = describeDenseNet(
      { initFeatures: 8, growthRate: 4, blockConfig: [2, 2], bnSize: 2, outChannels: 3 },
      [16, 16, 16],
    );
    const ours = path.join(dir, 'ours.onnx');
    writeFileSync(ours, exportOnnx(d, initialStateDict(d), { classes: ['a', 'b', 'c'] }));
    expect(await resolveModel(ours)).toMatchObject({
      kind: 'onnx',
      id: 'ours.onnx',
      classes: ['a', 'b', 'c'],
      inputSize: [16, 16, 16],
      network: null,
    });
    const monai = path.join(dir, 'densenet_tiny.onnx');
    writeFileSync(monai, referenceBytes('densenet_tiny.onnx'));
    expect(await resolveModel(monai)).toMatchObject({
      classes: ['class0', 'class1'],
      inputSize: [32, 32, 32],
    });
  });

  it.each([
    ['a missing run', 'nope', { studyDir: 'STUDY' }, 'NOT_FOUND', /no training run nope in .* and no file/],
    ['a missing file', '/no/such/model.onnx', {}, 'NOT_FOUND', /no file \/no\/such\/model\.onnx/],
    ['an unknown arch', 'x.safetensors', { arch: 'resnet' }, 'BAD_ARGUMENT', /densenet121, small, tiny/],
    ['a wrong arch', 'TINY', { arch: 'small' }, 'WEIGHTS_MISMATCH', /do not fit the DenseNet model/],
    ['a damaged safetensors file', 'DAMAGED', {}, 'WEIGHTS_INVALID', /DAMAGED|safetensors/],
    ['another extension', 'TEXT', {}, 'BAD_ARGUMENT', /must end in \.onnx, \.safetensors, \.pt or \.pth/],
    ['a .pt that asks to run code', 'EVIL', {}, 'WEIGHTS_INVALID', /evil\.pt is not a plain PyTorch state_dict: it asks to run posix\.system/],
    ['a .pth that is not a zip', 'OLD', {}, 'WEIGHTS_INVALID', /old\.pth: it was saved in PyTorch's legacy format/],
  ])('%s fails clearly', async (_, spec, options, code, message) => {
    const dir = temp.make('voxlab-bad-');
    const files: Record<string, string> = {
      TINY: path.join(dir, 'tiny.safetensors'),
      DAMAGED: path.join(dir, 'damaged.safetensors'),
      TEXT: path.join(dir, 'notes.txt'),
      EVIL: path.join(dir, 'evil.pt'),
      OLD: path.join(dir, 'old.pth'),
    };
    const evil = new PickleWriter().proto().global('posix', 'system').str('touch pwned').raw(0x85).reduce().stop();
    writeFileSync(files.EVIL!, torchSaveBytes([], { pickle: evil }));
    writeFileSync(files.OLD!, Uint8Array.of(0x80, 0x02, 0x8a, 0x0a));
    writeFileSync(
      files.TINY!,
      weightsBytes(
        describeDenseNet(
          { initFeatures: 8, growthRate: 4, blockConfig: [2, 2, 2, 2], bnSize: 2 },
          [32, 32, 32],
        ),
      ),
    );
    writeFileSync(files.DAMAGED!, Uint8Array.of(200, 0, 0, 0, 0, 0, 0, 0, 123));
    writeFileSync(files.TEXT!, 'hello');
    const opts = { ...options, ...('studyDir' in options ? { studyDir: study } : {}) };
    const error = await resolveModel(files[spec] ?? spec, opts).catch((e: unknown) => e);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toMatch(message);
  });
});

// A run's weights copied elsewhere lose run.json: the network comes from the weights, classes are generic.
it('a copied run weights file without run.json needs no arch (read off the weights)', async () => {
  const study = temp.make('voxlab-copy-');
  const dir = await writeRun(study, 'run-d', { config: TINY_RUN, classes: ['p', 'q'] });
  const copy = path.join(temp.make('voxlab-copied-'), 'w.safetensors');
  copyFileSync(path.join(dir, 'epoch-0001.safetensors'), copy);
  const m = await resolveModel(copy, { inputSize: 16 });
  expect(m.classes).toEqual(['class0', 'class1']);
  expect(m.network!.description.config).toMatchObject({ blockConfig: [2, 2] });
});

// PyTorch checkpoints of MONAI's small and tiny DenseNets (torch.save, as bare, wrapped and DataParallel
// state_dicts): the architecture is read off the weights and ONNX Runtime gives PyTorch's logits.
const noTorch = checkpointsUnavailable();
if (noTorch !== null) console.warn(`resolveModel.test.ts: .pt logits tests skipped: ${noTorch}`);
describe.skipIf(noTorch !== null)('resolveModel of .pt files written by PyTorch', () => {
  const dir = temp.make('voxlab-pt-');
  beforeAll(() => makeCheckpoints(dir, ['small', 'tiny'], ['--variants', '--logits']), 300_000);

  it.each([
    ['tiny.pt', 'tiny', { initFeatures: 8, growthRate: 4, bnSize: 2, blockConfig: [2, 2, 2, 2] }],
    ['small.pt', 'small', { initFeatures: 16, growthRate: 8, bnSize: 4, blockConfig: [2, 4, 6, 4] }],
    ['tiny_wrapped.pt', 'tiny_trained', { initFeatures: 8 }],
    ['tiny_ddp.pt', 'tiny_trained', { initFeatures: 8 }],
  ] as const)('%s: ONNX logits equal PyTorch within 1e-4', async (name, logitsOf, config) => {
    const m = await resolveModel(path.join(dir, name), { inputSize: 32 });
    expect(m).toMatchObject({ kind: 'pytorch', id: name, classes: ['class0', 'class1'], inputSize: [32, 32, 32] });
    expect(m.network!.description.config).toMatchObject(config);
    const input = new Float32Array(new Uint8Array(readFileSync(path.join(dir, 'input_32.bin'))).buffer);
    const c = await openModelClassifier(m, { provider: 'cpu' });
    try {
      const logits = await c.predict(input, 1);
      const expected = JSON.parse(readFileSync(path.join(dir, `${logitsOf}.logits.json`), 'utf8')) as number[];
      expect(Math.max(...expected.map((v, i) => Math.abs(v - logits[i]!)))).toBeLessThan(1e-4);
    } finally {
      await c.dispose();
    }
  });
});
