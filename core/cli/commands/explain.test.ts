// `voxlab explain` and `voxlab next`, run in-process as a user would type them, on MONAI's tiny DenseNet
// and a tiny study.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudy } from '../../datastore/index.js';
import { writeRun, writeScan } from '../../infer/testing/fixtures.js';
import { withInputShape } from '../../infer/testing/onnxInputShape.js';
import { smallCnnOnnx } from '../../infer/testing/smallCnnOnnx.js';
import { readNifti } from '../../io/readNifti.js';
import { referenceBytes, referenceFloat32 } from '../../model/testing/backends.js';
import { tempFolders, tinyStudy, writeTinyCohort } from '../../train/testing/tinyStudy.js';
import { runCommands } from '../testing/captureCli.js';
import { explainCommand, parseBox, parseMode } from './explain.js';
import { nextCommand } from './next.js';

const voxlab = (...argv: string[]) => runCommands([explainCommand, nextCommand], ...argv);
const temp = tempFolders();
const dir = temp.make('voxlab-explain-cli-');
const files = {
  onnx64: path.join(dir, 'densenet_tiny_64.onnx'),
  cnn: path.join(dir, 'small_cnn.onnx'),
  weights: path.join(dir, 'densenet_tiny.safetensors'),
  scan: path.join(dir, 'scan.nii.gz'),
};
let studyDir = '';
/** MONAI's tiny DenseNet as a safetensors file at its 32^3 input. */
const tinyModel = () => ['--model', files.weights, '--input-size', '32'];

beforeAll(async () => {
  writeFileSync(files.onnx64, withInputShape(referenceBytes('densenet_tiny.onnx'), ['batch', 1, 64, 64, 64]));
  writeFileSync(files.cnn, smallCnnOnnx());
  writeFileSync(files.weights, referenceBytes('densenet_tiny.safetensors'));
  await writeScan(files.scan, [32, 32, 32], referenceFloat32('input_32.f32'));
  const cohort = await writeTinyCohort(temp.make('voxlab-explain-cohort-'), 4);
  studyDir = path.join(temp.make('voxlab-explain-study-'), 'study');
  (await tinyStudy(cohort, studyDir, { labels: false })).close();
  await writeRun(studyDir, 'run-1', {
    config: { model: 'tiny', modelOverrides: { blockConfig: [2, 2] }, inputSize: 16 },
    classes: ['control', 'lesion'],
  });
});
afterAll(() => temp.cleanup());

const occlusionArgs = [
  ...tinyModel(),
  '--preprocess',
  'none',
  '--slice',
  '0:16',
  '--mask-size',
  '6',
  '--n-batch',
  '7',
  '--json',
];

describe('voxlab explain', () => {
  it('writes an occlusion map on the scan grid; the incremental and plain engines agree', async () => {
    const outs = { incremental: path.join(dir, 'inc.nii.gz'), plain: path.join(dir, 'plain.nii.gz') };
    const runs = [];
    for (const engine of ['incremental', 'plain'] as const) {
      const r = await voxlab(
        'explain',
        files.scan,
        ...occlusionArgs,
        '--engine',
        engine,
        '--out',
        outs[engine],
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`${engine} engine`);
      runs.push(JSON.parse(r.stdout) as { windows: number; probabilities: number[]; map: { max: number } });
    }
    // One slice with mask 6: the search region is [14, 19) deep (one window, the mask clipped to 5) and
    // windows start at 0, 4, ..., 24 and 26 along the other two axes: 1 x 8 x 8.
    expect(runs[0]!.windows).toBe(64);
    // MONAI's logits for this input are [-0.1628, 0.0344] (shared/reference/monai/reference.json).
    expect(runs[0]!.probabilities[0]).toBeCloseTo(
      1 / (1 + Math.exp(0.03440219908952713 + 0.16278867423534393)),
      5,
    );
    const [a, b] = await Promise.all([readNifti(outs.incremental), readNifti(outs.plain)]);
    expect(a.shape).toEqual([32, 32, 32]);
    let diff = 0;
    for (let i = 0; i < a.data.length; i++) diff = Math.max(diff, Math.abs(a.data[i]! - b.data[i]!));
    expect(diff).toBeLessThan(1e-6);
    // Importance is 0 outside the explained slice (i = 16) and non-zero on it.
    expect(a.data[0 + 32 * (16 + 32 * 16)]).toBe(0);
    expect(Math.max(...a.data.map(Math.abs))).toBeGreaterThan(1e-6);
  });

  // MONAI's ONNX file re-declared at 64^3 (torch.onnx.export's file for a 64^3 dummy): at the file's 32^3
  // the DenseNet's last feature map is 1^3 and every Grad-CAM map constant.
  it.each(['gradcam', 'gradcam++'])(
    "runs %s on MONAI's ONNX file as on its safetensors weights (weights from the initializers)",
    async (method) => {
      const run = async (model: string[], out: string) => {
        const r = await voxlab(
          'explain',
          files.scan,
          ...model,
          '--method',
          method,
          '--class',
          '1',
          '--out',
          out,
          '--json',
          '--backend',
          'cpu',
        );
        expect(r.code, r.stderr).toBe(0);
        return r;
      };
      const outs = [path.join(dir, `${method}-onnx.nii.gz`), path.join(dir, `${method}-weights.nii.gz`)];
      const onnx = await run(['--model', files.onnx64], outs[0]!);
      expect(onnx.stderr).toMatch(
        new RegExp(
          `${method.replace('+', '\\+')}: tfjs model from the ONNX file is a MONAI DenseNet \\(weights read from its initializers, 9 BatchNorms folded`,
        ),
      );
      // Issue #16: the engine that made the map (tfjs), not the ONNX session of the probabilities; a layer
      // finer than class_layers.relu (2^3 at 64^3).
      expect(JSON.parse(onnx.stdout)).toMatchObject({
        method,
        classIndex: 1,
        classes: ['class0', 'class1'],
        model: { engine: 'tfjs-cpu' },
        engine: 'tfjs-cpu',
        classifierEngine: expect.stringMatching(/^onnxruntime/),
        layer: { name: 'features.transition2.relu', grid: [8, 8, 8] },
      });
      await run(['--model', files.weights, '--input-size', '64'], outs[1]!);
      const [a, b] = await Promise.all(outs.map((f) => readNifti(f)));
      expect(a!.shape).toEqual([32, 32, 32]);
      let diff = 0;
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < a!.data.length; i++) {
        diff = Math.max(diff, Math.abs(a!.data[i]! - b!.data[i]!));
        min = Math.min(min, b!.data[i]!);
        max = Math.max(max, b!.data[i]!);
      }
      expect(diff).toBeLessThan(1e-4);
      expect(max - min).toBeGreaterThan(0.5);
    },
  );

  it('refuses Grad-CAM on an ONNX graph that is not a recognised DenseNet, in words', async () => {
    const bad = await voxlab(
      'explain',
      files.scan,
      '--model',
      files.cnn,
      '--method',
      'gradcam',
      '--out',
      path.join(dir, 'cnn.nii.gz'),
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/gradcam needs gradients.*MONAI DenseNet ONNX file voxlab recognises/);
    expect(bad.stderr).toMatch(/not a MONAI DenseNet: features\.conv0's weight is \[4, 1, 3, 3, 3\]/);
    expect(bad.stderr).toMatch(/Occlusion \(--method occlusion\) works on any ONNX model/);
  });

  it('says what is wrong with bad options and writes nothing', async () => {
    const out = path.join(dir, 'never.nii.gz');
    for (const [flag, value, words] of [
      ['--slice', '3:10', /axis:index/],
      ['--b-box', '1,2,3', /6 integers/],
      ['--mode', 'blur', /mean_surround, gaussian, mean_patch, mean_img or a number/],
      ['--method', 'lime', /occlusion, gradcam, gradcam\+\+, layercam/],
      ['--layer', 'class_layers.relu', /--layer is for --method gradcam/],
    ] as const) {
      const r = await voxlab('explain', files.scan, ...tinyModel(), flag, value, '--out', out);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(words);
    }
    const box = await voxlab('explain', files.scan, ...tinyModel(), '--slice', '0:40', '--out', out);
    expect(box.code).toBe(2);
    expect(box.stderr).toMatch(/BAD_ARGUMENT/);
  });

  it('stores the map in the study with --study (by image id, or by file next to --out), source cli', async () => {
    const study = openStudy(studyDir);
    const [first, second] = study.listImages();
    study.close();
    const common = ['--model', 'run-1', '--study', studyDir, '--slice', '0:8', '--mask-size', '4', '--json'];
    const byId = await voxlab('explain', first!.id, ...common);
    expect(byId.code, byId.stderr).toBe(0);
    const report = JSON.parse(byId.stdout) as {
      mapId: string;
      imageId: string;
      storedAs: string;
      map: { min: number; max: number };
    };
    expect(report).toMatchObject({
      imageId: first!.id,
      storedAs: `maps/${first!.id}/${report.mapId}.nii.gz`,
    });
    const out = path.join(dir, 'stored-and-written.nii.gz');
    const byFile = await voxlab(
      'explain',
      second!.path,
      ...common.filter((a) => a !== '--json'),
      '--out',
      out,
    );
    expect(byFile.code, byFile.stderr).toBe(0);
    expect(byFile.stdout).toMatch(/written {8}.*stored-and-written\.nii\.gz/);
    expect(byFile.stdout).toMatch(new RegExp(`stored {9}maps/${second!.id}/m\\S+\\.nii\\.gz in the study`));
    const reopened = openStudy(studyDir);
    try {
      const [map] = reopened.listExplanations(first!.id);
      expect(map).toMatchObject({
        id: report.mapId,
        source: 'cli',
        modelId: 'run-1',
        method: 'occlusion',
        min: report.map.min,
        max: report.map.max,
      });
      expect(map!.params).toMatchObject({
        maskSize: 4,
        bBox: [8, 9, -1, -1, -1, -1],
        nBatch: 16,
        preprocess: 'seed',
        mode: 'mean_surround',
        occluder: expect.stringMatching(/shell around it/),
        sign: expect.stringMatching(/^positive = occluding this region lowers the class output/),
      });
      const onDisk = await readNifti(map!.path);
      expect(onDisk.shape).toEqual(first!.shape.slice(0, 3));
      const [fromFile] = reopened.listExplanations(second!.id);
      const [written, stored] = await Promise.all([readNifti(out), readNifti(fromFile!.path)]);
      expect(Array.from(stored.data)).toEqual(Array.from(written.data));
    } finally {
      reopened.close();
    }
  }, 60_000);

  it('refuses a map that would go nowhere, in words', async () => {
    const none = await voxlab('explain', files.scan, ...tinyModel());
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--out MAP\.nii\.gz.*or --study DIR/);
    const outside = await voxlab('explain', files.scan, '--model', 'run-1', '--study', studyDir);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/neither an image id nor an image file of the study/);
  });

  it('parses --slice, --b-box and --mode as MONAI spells them', () => {
    expect(parseBox('0:48', undefined)).toEqual([48, 49, -1, -1, -1, -1]);
    expect(parseBox('k:5', undefined)).toEqual([-1, -1, -1, -1, 5, 6]);
    expect(parseBox(undefined, '1,5,-1,-1,0,3')).toEqual([1, 5, -1, -1, 0, 3]);
    expect(() => parseBox('0:1', '1,2,3,4,5,6')).toThrow(/not both/);
    expect(parseMode('mean_patch')).toBe('mean_patch');
    expect(parseMode('mean_surround')).toBe('mean_surround');
    expect(parseMode('gaussian')).toBe('gaussian');
    expect(parseMode('0.5')).toBe(0.5);
  });
});

describe('voxlab next', () => {
  it('names an unlabeled image by each strategy and ranks them all', async () => {
    const study = openStudy(studyDir);
    const ids = study.listImages().map((i) => i.id);
    study.close();
    const first = await voxlab('next', '--study', studyDir, '--strategy', 'first', '--json');
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ strategy: 'first', id: ids[0] });
    for (const strategy of ['entropy', 'tta']) {
      const r = await voxlab(
        'next',
        '--study',
        studyDir,
        '--strategy',
        strategy,
        '--model',
        'run-1',
        '--json',
      );
      expect(r.code, r.stderr).toBe(0);
      const result = JSON.parse(r.stdout) as { id: string; ranking: { id: string; score: number }[] };
      expect(ids).toContain(result.id);
      expect(result.ranking.map((x) => x.id).sort()).toEqual([...ids].sort());
      const scores = result.ranking.map((x) => x.score);
      expect(scores).toEqual([...scores].sort((x, y) => y - x));
    }
    const text = await voxlab('next', '--study', studyDir, '--strategy', 'random', '--seed', '4');
    expect(text.stdout).toMatch(/^next {2}\S+ {2}\(random/);
  });

  it('refuses tta without a model and an unknown strategy', async () => {
    const tta = await voxlab('next', '--study', studyDir, '--strategy', 'tta');
    expect(tta.code).toBe(2);
    expect(tta.stderr).toMatch(/needs --model/);
    const bad = await voxlab('next', '--study', studyDir, '--strategy', 'margin');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/random, first, entropy, tta/);
  });
});
