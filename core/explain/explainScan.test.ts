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
    expect(report.engine).toBe(report.classifierEngine);
    expect(report.windows).toBe(7 ** 3);
    expect(report.evidence).toBe('positive evidence');
    const [i, j, k] = report.peak!.voxel;
    // Model voxels [0, 3) x [5, 8) x [0, 3) cover scan voxels [0, 6) x [7.5, 12) x [0, 7.5).
    expect(i < 6 && j >= 7 && k < 8).toBe(true);
    expect(report.peak!.worldMm).toEqual([2 * i - 10, j + 5, 1.5 * k]);
    expect(report.map.max).toBeGreaterThan(0);
    expect(report.sign).toMatch(/^positive = occluding this region lowers/);
    expect(report.occluder).toEqual({ mode: 0, words: expect.stringMatching(/constant \(0\)/) });
    // The probability view (low = important) points at the same place, its peak taken on baseline - map.
    const { report: probability } = await explainScan(volume, {
      method: 'occlusion',
      classifier: regionClassifier(),
      occlusion: { maskSize: 2, overlap: 0.5, mode: 0, activation: 'none', nBatch: 50 },
      view: 'probability',
    });
    expect(probability.sign).toMatch(/lower = more important/);
    expect(probability.peak!.centroidVoxel).toEqual(report.peak!.centroidVoxel);
    expect(probability.peak!.voxelCount).toBe(report.peak!.voxelCount);
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

    it('reports a flat maximum as a tie (count, centroid), and a constant map as having no peak', async () => {
      const config = { initFeatures: 4, growthRate: 2, blockConfig: [1, 1], bnSize: 2 };
      const model = createDenseNet(config, { inputSize: [16, 16, 16], seed: 1 });
      const small = createDenseNet(config, { inputSize: [8, 8, 8], seed: 1 });
      try {
        // class_layers.relu is 2^3 here; upsampled (align_corners false) to 16^3, its hottest cell is a
        // flat 4^3 corner block: 64 tied voxels whose centroid sits 1.5 voxels in from the corner.
        const { report } = await explainScan(scan([16, 16, 16], 5), {
          method: 'gradcam',
          classifier: tfClassifier(model),
          model,
          preprocess: 'none',
          layer: 'class_layers.relu',
        });
        expect(report.layer).toEqual({ name: 'class_layers.relu', grid: [2, 2, 2] });
        expect(report.evidence).toBe('positive evidence');
        expect(report.peak!.voxelCount).toBe(64);
        expect(report.peak!.regions).toBe(1);
        report.peak!.centroidVoxel.forEach((c) => expect([1.5, 13.5]).toContain(c));
        // At 8^3 class_layers.relu is 1^3: one value, a constant map, no peak.
        const { report: flat, image } = await explainScan(scan([8, 8, 8], 6), {
          method: 'gradcam',
          classifier: tfClassifier(small),
          model: small,
          preprocess: 'none',
          layer: 'class_layers.relu',
        });
        expect(flat.peak).toBeNull();
        expect(['no positive evidence', 'uniform positive evidence']).toContain(flat.evidence);
        expect(Math.max(...image.data)).toBe(0);
      } finally {
        model.dispose();
        small.dispose();
      }
    });

    it('gives a [0, 1] map on the scan grid, reporting the tfjs backend that ran it (not the classifier)', async () => {
      const model = createDenseNet(
        { initFeatures: 4, growthRate: 2, blockConfig: [1, 1], bnSize: 2 },
        { inputSize: [16, 16, 16], seed: 1 },
      );
      try {
        const { report, image } = await explainScan(scan([20, 18, 10], 4), {
          method: 'gradcam++',
          // The probabilities come from an ONNX session in the app; Grad-CAM always runs on tfjs.
          classifier: { ...tfClassifier(model), engine: 'onnxruntime-cpu' },
          model,
        });
        expect(report.engine).toBe('tfjs-cpu');
        expect(report.classifierEngine).toBe('onnxruntime-cpu');
        expect(image.shape).toEqual([20, 18, 10]);
        expect(report.map.min).toBeGreaterThanOrEqual(0);
        expect(report.map.max).toBeLessThanOrEqual(1);
      } finally {
        model.dispose();
      }
    });
  });
});
