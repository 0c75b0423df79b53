import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../common/random.js';
import { toAffine } from '../common/spaces.js';
import { readNifti } from '../io/readNifti.js';
import type { Volume } from '../io/types.js';
import { useBackend } from '../model/testing/backends.js';
import { createDenseNet } from '../model/tfModel.js';
import { explainScan } from './explainScan.js';
import { linearClassifier } from './testing/analyticClassifiers.js';
import { tfClassifier } from './tfClassifier.js';

const AFFINE = toAffine([2, 0, 0, -10, 0, 1, 0, 5, 0, 0, 1.5, 0, 0, 0, 0, 1]);

/** A positive random scan of `shape` (Fortran order). */
function scan(shape: [number, number, number], seed: number): Volume {
  const r = new SeededRandom(seed);
  const data = Float32Array.from({ length: shape[0] * shape[1] * shape[2] }, () => r.uniform(0.5, 1));
  return { shape, data, affine: AFFINE } as unknown as Volume;
}

/** Class 0 = the sum of model voxels in [0, 3) x [5, 8) x [0, 3) of an 8^3 input; class 1 = 0. */
function regionClassifier() {
  const w = new Float32Array(512);
  for (let i = 0; i < 3; i++)
    for (let j = 5; j < 8; j++) for (let k = 0; k < 3; k++) w[(i * 8 + j) * 8 + k] = 1;
  return linearClassifier([1, 8, 8, 8], [w, new Float32Array(512)]);
}

describe('explainScan', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('occlusion: the importance peak lands on the scan voxels of the region the classifier reads', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'voxlab-explain-'));
    dirs.push(dir);
    const out = path.join(dir, 'map.nii.gz');
    const volume = scan([16, 12, 20], 1);
    const { report, image } = await explainScan(volume, {
      method: 'occlusion',
      classifier: regionClassifier(),
      occlusion: { maskSize: 2, overlap: 0.5, mode: 0, activation: 'none', nBatch: 50 },
      out,
    });
    expect(report.classIndex).toBe(0);
    expect(report.windows).toBe(7 ** 3);
    const [i, j, k] = report.peak.voxel;
    // Model voxels [0, 3) x [5, 8) x [0, 3) cover scan voxels [0, 6) x [7.5, 12) x [0, 7.5).
    expect(i < 6 && j >= 7 && k < 8).toBe(true);
    expect(report.peak.worldMm).toEqual([2 * i - 10, j + 5, 1.5 * k]);
    expect(report.map.max).toBeGreaterThan(0);
    expect(report.out).toBe(out);
    const back = await readNifti(out);
    expect(back.shape).toEqual([16, 12, 20]);
    expect(Array.from(back.data)).toEqual(Array.from(image.data));
  });

  it("preprocess 'none' feeds the file's voxels as they are and needs the input's shape", async () => {
    const classifier = regionClassifier();
    const { report } = await explainScan(scan([8, 8, 8], 2), {
      method: 'occlusion',
      classifier,
      preprocess: 'none',
      occlusion: { maskSize: 4 },
    });
    expect(report.probabilities.reduce((a, b) => a + b)).toBeCloseTo(1, 6);
    await expect(
      explainScan(scan([8, 8, 9], 2), { method: 'occlusion', classifier, preprocess: 'none' }),
    ).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' });
  });

  it('rejects Grad-CAM without a tfjs model and a bad class index', async () => {
    await expect(
      explainScan(scan([8, 8, 8], 3), { method: 'gradcam', classifier: regionClassifier() }),
    ).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    await expect(
      explainScan(scan([8, 8, 8], 3), { method: 'occlusion', classifier: regionClassifier(), classIndex: 5 }),
    ).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });

  describe('Grad-CAM on a tiny DenseNet (cpu backend)', () => {
    beforeAll(() => useBackend('cpu'));

    it('gives a [0, 1] map on the scan grid', async () => {
      const model = createDenseNet(
        { initFeatures: 4, growthRate: 2, blockConfig: [1, 1], bnSize: 2 },
        { inputSize: [16, 16, 16], seed: 1 },
      );
      try {
        const { report, image } = await explainScan(scan([20, 18, 10], 4), {
          method: 'gradcam++',
          classifier: tfClassifier(model),
          model,
        });
        expect(image.shape).toEqual([20, 18, 10]);
        expect(report.map.min).toBeGreaterThanOrEqual(0);
        expect(report.map.max).toBeLessThanOrEqual(1);
      } finally {
        model.dispose();
      }
    });
  });
});
