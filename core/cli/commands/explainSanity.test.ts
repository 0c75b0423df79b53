// `voxlab explain --sanity`: the saliency sanity checks on the command line, on MONAI's tiny DenseNet (the
// cascade) and on a tiny study trained here (cascade + shuffled labels, stored with the map, listed by the API).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudy } from '../../datastore/index.js';
import { writeScan } from '../../infer/testing/fixtures.js';
import { referenceBytes, referenceFloat32, useBackend } from '../../model/testing/backends.js';
import { mapSummary } from '../../server/service/explain.js';
import { train } from '../../train/train.js';
import { TINY_CONFIG, tempFolders, tinyStudy, writeTinyCohort } from '../../train/testing/tinyStudy.js';
import { runCommands } from '../testing/captureCli.js';
import { explainCommand } from './explain.js';
import { sanityReportPath } from './explainSanity.js';

const voxlab = (...argv: string[]) => runCommands([explainCommand], ...argv);
const temp = tempFolders();
const dir = temp.make('voxlab-explain-sanity-');
const files = {
  weights: path.join(dir, 'densenet_tiny.safetensors'),
  scan: path.join(dir, 'scan.nii.gz'),
};
const tinyModel = [
  '--model',
  files.weights,
  '--input-size',
  '32',
  '--preprocess',
  'none',
  '--backend',
  'cpu',
];
let studyDir = '';
let runId = '';

beforeAll(async () => {
  await useBackend('cpu');
  writeFileSync(files.weights, referenceBytes('densenet_tiny.safetensors'));
  await writeScan(files.scan, [32, 32, 32], referenceFloat32('input_32.f32'));
  const cohort = await writeTinyCohort(temp.make('voxlab-sanity-cohort-'), 8);
  studyDir = path.join(temp.make('voxlab-sanity-study-'), 'study');
  const study = await tinyStudy(cohort, studyDir);
  try {
    runId = (await train(study, TINY_CONFIG, { runId: 'tiny-run' })).modelId;
  } finally {
    study.close();
  }
}, 120_000);
afterAll(() => temp.cleanup());

interface Printed {
  sanity: {
    verdict: string;
    kind: string;
    lastSpearman: number | null;
    dataSpearman: number | null;
    cascade: { layer: string; spearman: number; ssim: number }[] | null;
    data: { spearman: number } | null;
  };
}

describe('voxlab explain --sanity', () => {
  it('cascade (Grad-CAM): a step per layer group, the table on stderr with --json, the report beside --out', async () => {
    const out = path.join(dir, 'gradcam.nii.gz');
    const r = await voxlab(
      'explain',
      files.scan,
      ...tinyModel,
      '--method',
      'gradcam',
      '--sanity',
      'cascade',
      '--out',
      out,
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const { sanity } = JSON.parse(r.stdout) as Printed;
    // MONAI's tiny DenseNet has 4 blocks: class_layers, 4 blocks, 3 transitions, the stem.
    expect(sanity.cascade!.map((s) => s.layer)).toEqual([
      'class_layers',
      'features.denseblock4',
      'features.transition3',
      'features.denseblock3',
      'features.transition2',
      'features.denseblock2',
      'features.transition1',
      'features.denseblock1',
      'features.conv0',
    ]);
    expect(sanity.lastSpearman).toBe(sanity.cascade!.at(-1)!.spearman);
    expect(['passed', 'failed', 'inconclusive']).toContain(sanity.verdict);
    expect(r.stderr).toContain('sanity cascade 9/9: randomizing features.conv0');
    expect(r.stderr).toMatch(/9\. \+ features\.conv0 +-?\d\.\d{3}/);
    expect(r.stderr).toMatch(new RegExp(`sanity check: ${sanity.verdict}: `));
    const file = sanityReportPath(out);
    expect(file).toBe(path.join(dir, 'gradcam.sanity.json'));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(sanity);
  });

  it.each([
    ['an unknown kind', ['--sanity', 'layers'], /--sanity must be cascade .* or all \(both\); got "layers"/],
    [
      'data on a model that is not a training run',
      ['--sanity', 'data'],
      /needs a training run of the study .* use --sanity cascade/,
    ],
  ])('refuses %s in words, before computing a map', async (_, extra, words) => {
    const out = path.join(dir, 'refused.nii.gz');
    const r = await voxlab(
      'explain',
      files.scan,
      ...tinyModel,
      '--method',
      'gradcam',
      ...extra,
      '--out',
      out,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/BAD_ARGUMENT/);
    expect(r.stderr).toMatch(words);
    expect(existsSync(out)).toBe(false);
  });

  it('all, on a training run of the study: cascade and shuffled labels, stored with the map and in the API map record', async () => {
    const study = openStudy(studyDir);
    const image = study.listImages()[0]!;
    study.close();
    const r = await voxlab(
      'explain',
      image.id,
      '--model',
      runId,
      '--study',
      studyDir,
      '--method',
      'occlusion',
      '--slice',
      '0:8',
      '--mask-size',
      '8',
      '--backend',
      'cpu',
      '--sanity',
      'all',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const printed = JSON.parse(r.stdout) as Printed & { mapId: string };
    expect(printed.sanity.kind).toBe('all');
    expect(printed.sanity.cascade).toHaveLength(5);
    expect(printed.sanity.dataSpearman).toBe(printed.sanity.data!.spearman);
    expect(r.stderr).toContain('sanity data: shuffled-label epoch 4');
    // Progress: the cascade's first 10 %, the retraining up to 99 %, rising, one line per change of words.
    const shares = [...r.stderr.matchAll(/^sanity .*\((\d+) %\)$/gm)].map((m) => Number(m[1]));
    expect(shares[0]).toBe(0);
    expect(shares.at(-1)).toBe(99);
    expect(shares).toEqual([...shares].sort((a, b) => a - b));
    expect(r.stderr).toMatch(/^sanity data: shuffled-label epoch 1 of 4 \(\d+ %\)$/m);
    expect(r.stderr.match(/shuffled-label epoch 1 of 4/g)).toHaveLength(1);
    const reopened = openStudy(studyDir);
    try {
      const record = reopened.getExplanation(printed.mapId);
      expect((record.params as { sanity: unknown }).sanity).toEqual(printed.sanity);
      const summary = mapSummary(record);
      expect(summary.sanity).toMatchObject({
        verdict: printed.sanity.verdict,
        kind: 'all',
        lastSpearman: printed.sanity.lastSpearman,
        dataSpearman: printed.sanity.dataSpearman,
        threshold: 0.5,
      });
      expect(summary.sanity!.steps.map((s) => s.layer)[0]).toBe('class_layers');
    } finally {
      reopened.close();
    }
  }, 120_000);
});
