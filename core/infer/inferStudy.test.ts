// Inference over files and studies: 'none' feeds the file's voxels exactly (MONAI's reference input gives
// MONAI's logits), 'seed' resizes; predictions are stored with model id and probabilities, and images no
// person labeled become 'predicted'. Progress, cancel and wrong sizes.

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudy } from '../datastore/index.js';
import { referenceBytes, referenceFloat32 } from '../model/testing/backends.js';
import { tempFolders, tinyStudy, writeTinyCohort } from '../train/testing/tinyStudy.js';
import { inferFiles } from './inferFiles.js';
import { inferStudy } from './inferStudy.js';
import { openModelClassifier, openOrtClassifier, type OrtClassifier } from './OrtClassifier.js';
import { resolveModel } from './resolveModel.js';
import { writeRun, writeScan } from './testing/fixtures.js';

const temp = tempFolders();
let monai: OrtClassifier;
let scan32 = '';
beforeAll(async () => {
  monai = await openOrtClassifier(referenceBytes('densenet_tiny.onnx'), { provider: 'cpu' });
  scan32 = path.join(temp.make('voxlab-scan-'), 'input32.nii.gz');
  await writeScan(scan32, [32, 32, 32], referenceFloat32('input_32.f32'));
});
afterAll(async () => {
  await monai.dispose();
  temp.cleanup();
});

describe('inferFiles', () => {
  it("feeds the file's voxels as they are with 'none': MONAI's input gives reference.json's logits", async () => {
    const progress: number[][] = [];
    const [r] = await inferFiles(monai, [scan32], {
      preprocess: 'none',
      onProgress: (d, t) => progress.push([d, t]),
    });
    const expected = [-0.16278867423534393, 0.03440219908952713];
    expect(Math.max(...expected.map((v, i) => Math.abs(v - r!.logits[i]!)))).toBeLessThan(1e-5);
    const e = expected.map(Math.exp);
    expect(r!.probabilities[1]).toBeCloseTo(e[1]! / (e[0]! + e[1]!), 6);
    expect(r!.predicted).toBe('class1');
    expect(progress).toEqual([[1, 1]]);
  });

  it("refuses a scan of another size with 'none', and stops when cancelled", async () => {
    const cohort = await writeTinyCohort(temp.make('voxlab-c1-'), 2);
    const scan24 = path.join(cohort, 'images', readdirSync(path.join(cohort, 'images'))[0]!);
    await expect(inferFiles(monai, [scan24], { preprocess: 'none' })).rejects.toMatchObject({
      code: 'SHAPE_MISMATCH',
      message: expect.stringMatching(
        /has 24x24x24 voxels; without preprocessing the model needs exactly 32x32x32/,
      ),
    });
    const seeded = await inferFiles(monai, [scan24, scan32], { preprocess: 'seed', batchSize: 2 });
    expect(seeded.map((r) => r.file)).toEqual([scan24, scan32]);
    const controller = new AbortController();
    controller.abort();
    await expect(inferFiles(monai, [scan32], { signal: controller.signal })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });
});

describe('inferStudy', () => {
  it("stores predictions with model id and probabilities; unlabeled images become 'predicted'", async () => {
    const cohort = await writeTinyCohort(temp.make('voxlab-c2-'), 5);
    const studyDir = path.join(temp.make('voxlab-study-'), 'study');
    const study = await tinyStudy(cohort, studyDir, { labels: false });
    try {
      const [first, ...rest] = study.listImages();
      study.setClassLabel(first!.id, 'lesion', { author: 'test' });
      await writeRun(studyDir, 'run-1', {
        config: { model: 'tiny', modelOverrides: { blockConfig: [2, 2] }, inputSize: 16 },
        classes: ['control', 'lesion'],
      });
      const model = await resolveModel('run-1', { studyDir });
      const classifier = await openModelClassifier(model, { provider: 'cpu' });
      const progress: number[] = [];
      const results = await inferStudy(study, classifier, model.id, {
        batchSize: 2,
        onProgress: (d) => progress.push(d),
      }).finally(() => classifier.dispose());
      expect(progress).toEqual([2, 4, 5]);
      expect(results.map((r) => r.status)).toEqual(['labeled', ...rest.map(() => 'predicted')]);
      const stored = study.getPrediction(rest[0]!.id, 'run-1')!;
      expect(stored).toMatchObject({
        modelId: 'run-1',
        classes: ['control', 'lesion'],
        label: results[1]!.predicted,
      });
      expect(stored.probabilities).toEqual(results[1]!.probabilities);
      expect(stored.probabilities[0]! + stored.probabilities[1]!).toBeCloseTo(1, 6);
      expect(study.listImages({ status: 'predicted' })).toHaveLength(4);
      expect(study.getImage(first!.id)).toMatchObject({
        status: 'labeled',
        prediction: { modelId: 'run-1' },
      });
    } finally {
      study.close();
    }
    const reopened = openStudy(studyDir);
    expect(reopened.listPredictions('run-1')).toHaveLength(5);
    reopened.close();
  });
});
