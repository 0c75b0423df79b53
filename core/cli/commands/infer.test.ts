// `voxlab infer`, `voxlab export-onnx` and the ONNX Runtime part of `voxlab doctor`, run in-process
// through runCli as a user would type them.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudy } from '../../datastore/index.js';
import { writeRun, writeScan } from '../../infer/testing/fixtures.js';
import { referenceBytes, referenceFloat32 } from '../../model/testing/backends.js';
import { tempFolders, tinyStudy, writeTinyCohort } from '../../train/testing/tinyStudy.js';
import { runCommands } from '../testing/captureCli.js';
import { doctorCommand } from './doctor.js';
import { exportOnnxCommand } from './exportOnnx.js';
import { inferCommand } from './infer.js';

const COMMANDS = [inferCommand, exportOnnxCommand, doctorCommand];
const REFERENCE = [-0.16278867423534393, 0.03440219908952713];
const temp = tempFolders();
const dir = temp.make('voxlab-infer-cli-');
const files = {
  onnx: path.join(dir, 'densenet_tiny.onnx'),
  weights: path.join(dir, 'densenet_tiny.safetensors'),
  scan: path.join(dir, 'input32.nii.gz'),
  exported: path.join(dir, 'exported.onnx'),
};
let studyDir = '';

const voxlab = (...argv: string[]) => runCommands(COMMANDS, ...argv);

const maxDiff = (a: readonly number[], b: readonly number[]) =>
  Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));

beforeAll(async () => {
  writeFileSync(files.onnx, referenceBytes('densenet_tiny.onnx'));
  writeFileSync(files.weights, referenceBytes('densenet_tiny.safetensors'));
  await writeScan(files.scan, [32, 32, 32], referenceFloat32('input_32.f32'));
  const cohort = await writeTinyCohort(temp.make('voxlab-infer-cohort-'), 3);
  studyDir = path.join(temp.make('voxlab-infer-study-'), 'study');
  (await tinyStudy(cohort, studyDir, { labels: false })).close();
  await writeRun(studyDir, 'run-1', {
    config: { model: 'tiny', modelOverrides: { blockConfig: [2, 2] }, inputSize: 16 },
    classes: ['control', 'lesion'],
  });
});
afterAll(() => temp.cleanup());

describe('voxlab infer / export-onnx', () => {
  it("runs MONAI's ONNX on a scan with --preprocess none and prints reference logits as JSON", async () => {
    const r = await voxlab(
      'infer',
      '--model',
      files.onnx,
      files.scan,
      '--preprocess',
      'none',
      '--provider',
      'cpu',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as {
      model: { id: string; classes: string[]; engine: string };
      results: { logits: number[]; file: string }[];
    };
    expect(json.model).toMatchObject({ id: 'densenet_tiny.onnx', classes: ['class0', 'class1'] });
    expect(json.model.engine).toMatch(/^onnxruntime-cpu/);
    expect(maxDiff(json.results[0]!.logits, REFERENCE)).toBeLessThan(1e-5);
  });

  it('exports MONAI safetensors to ONNX that gives the same logits', async () => {
    const e = await voxlab(
      'export-onnx',
      '--model',
      files.weights,
      '--arch',
      'tiny',
      '--input-size',
      '32',
      '--out',
      files.exported,
      '--json',
    );
    expect(e.code, e.stderr).toBe(0);
    expect(JSON.parse(e.stdout)).toMatchObject({
      out: files.exported,
      input: { name: 'image', shape: ['batch', 1, 32, 32, 32] },
      opset: 17,
    });
    const r = await voxlab('infer', '--model', files.exported, files.scan, '--preprocess', 'none', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(
      maxDiff((JSON.parse(r.stdout) as { results: { logits: number[] }[] }).results[0]!.logits, REFERENCE),
    ).toBeLessThan(1e-4);
  });

  it('classifies a whole study with --all and stores the predictions', async () => {
    const r = await voxlab('infer', '--model', 'run-1', '--study', studyDir, '--all');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^model {2}run-1 \(run\), classes control, lesion, input \[1, 16, 16, 16\], onnxruntime-/,
    );
    expect(
      lines
        .slice(1, 4)
        .every((l) => /^\S+ {2}(control|lesion) {2}\(control 0\.\d{3} {2}lesion 0\.\d{3}\)$/.test(l)),
    ).toBe(true);
    expect(lines[4]).toBe('stored 3 predictions in the study under model run-1');
    const study = openStudy(studyDir);
    try {
      expect(study.listImages({ status: 'predicted' })).toHaveLength(3);
    } finally {
      study.close();
    }
  });

  it.each([
    [['infer', '--model', 'M'], 'give the scans to classify (FILE...), or --study DIR --all [BAD_ARGUMENT]'],
    [['infer', '--model', 'M', '--all'], '--all needs --study DIR [BAD_ARGUMENT]'],
    [
      ['infer', '--model', 'M', 'SCAN', '--preprocess', 'crop'],
      "--preprocess must be seed or none, got 'crop' [BAD_ARGUMENT]",
    ],
    [['infer', '--model', 'nope', '--study', 'STUDY', 'SCAN'], '[NOT_FOUND]'],
    [
      ['infer', '--model', 'ONNX', 'SCAN', '--preprocess', 'none', '--input-size', '0'],
      '--input-size must be a whole number of at least 1',
    ],
    [
      ['export-onnx', '--model', 'ONNX', '--out', 'x.onnx'],
      'is already an ONNX model: nothing to export [BAD_ARGUMENT]',
    ],
    [
      ['export-onnx', '--model', 'M', '--out', 'x.txt'],
      "--out must name a .onnx file, got 'x.txt' [BAD_ARGUMENT]",
    ],
  ])('%j fails with exit 2 and one clear line', async (argv, message) => {
    const args = argv.map((a) => ({ STUDY: studyDir, SCAN: files.scan, ONNX: files.onnx })[a] ?? a);
    const { code, stderr } = await voxlab(...args);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(message);
  });

  it('falls back to CPU, with a note on stderr, when the asked-for provider is not installed', async () => {
    const r = await voxlab(
      'infer',
      '--model',
      files.onnx,
      files.scan,
      '--preprocess',
      'none',
      '--provider',
      'cuda',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/provider not used \(cuda is not present\); running on onnxruntime-cpu/);
    expect(r.stdout).toMatch(
      /^model {2}densenet_tiny\.onnx \(onnx\), classes class0, class1, input \[1, 32, 32, 32\]/,
    );
  });

  it('doctor lists the ONNX Runtime version and execution providers', async () => {
    const { code, stdout } = await voxlab('doctor', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      onnxruntime: {
        installed: boolean;
        detail: string;
        version: string;
        providers: { name: string; present: boolean }[];
        inferenceProvider: string;
      };
    };
    expect(report.onnxruntime.detail).toMatch(/onnxruntime-node 1\.30\.0/);
    expect(report.onnxruntime.version).toBe('1.30.0');
    expect(report.onnxruntime.providers).toContainEqual(
      expect.objectContaining({ name: 'cpu', present: true }),
    );
    expect(report.onnxruntime.providers.map((p) => p.name)).toContain('cuda');
    const present = report.onnxruntime.providers.filter((p) => p.present).map((p) => p.name);
    expect(present).toContain(report.onnxruntime.inferenceProvider);
  });
});
