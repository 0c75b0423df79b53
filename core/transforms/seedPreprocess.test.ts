import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../common/random.js';
import { toAffine } from '../common/spaces.js';
import { readNifti } from '../io/readNifti.js';
import type { Volume } from '../io/types.js';
import { ensureChannelFirst } from './ensureChannelFirst.js';
import { resize } from './resize.js';
import { scaleIntensity } from './scaleIntensity.js';
import { seedPreprocess } from './seedPreprocess.js';
import { volumeToTensor } from './tensor.js';
import { expectVoxlabError, maxAbsDiff } from './testUtils.js';

const SHARED = new URL('../../../shared/', import.meta.url);
const IXI012 = new URL('data/ixi/t1/IXI012-HH-1211_T1.nii.gz', SHARED).pathname;

function randomVolume(shape: [number, number, number], seed: number): Volume {
  const rng = new SeededRandom(seed);
  const data = Float32Array.from({ length: shape[0] * shape[1] * shape[2] }, () => rng.uniform(-50, 900));
  return {
    shape,
    data,
    affine: toAffine([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]),
  } as unknown as Volume;
}

/** The same pipeline, one MONAI transform at a time: ScaleIntensity -> EnsureChannelFirst -> Resize. */
function stepByStep(volume: Volume, size: number) {
  const t = volumeToTensor(volume); // [1, nx, ny, nz]
  const scaled = scaleIntensity({ shape: t.shape.slice(1), data: t.data });
  return resize(ensureChannelFirst(scaled), [size, size, size]);
}

describe('seedPreprocess', () => {
  it('matches MONAI 1.3.2 on IXI012 (shared/reference/monai/input_96.f32) within 1e-5', async () => {
    const out = seedPreprocess(await readNifti(IXI012), 96);
    expect(out.shape).toEqual([1, 96, 96, 96]);
    const b = readFileSync(new URL('reference/monai/input_96.f32', SHARED));
    const reference = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    const diff = maxAbsDiff(out.data, reference);
    console.info(`seedPreprocess(IXI012, 96) vs input_96.f32: max abs diff ${diff}`);
    expect(diff).toBeLessThanOrEqual(1e-5);
  });

  it.each<[[number, number, number], number]>([
    [[7, 5, 6], 4],
    [[3, 9, 2], 5],
    [[6, 6, 6], 6], // no axis resized: scaling and transposing only
    [[12, 4, 9], 4], // one axis kept, area windows of 3
    [[2, 2, 2], 11],
  ])('equals the step-by-step transforms for a %j volume to %i^3', (shape, size) => {
    const volume = randomVolume(shape, shape[0] * 31 + size);
    const fused = seedPreprocess(volume, size);
    const steps = stepByStep(volume, size);
    expect(fused.shape).toEqual(steps.shape);
    expect(maxAbsDiff(fused.data, steps.data)).toBeLessThan(1e-6);
  });

  it('turns a constant volume into zeros, as MONAI does', () => {
    const volume = { ...randomVolume([4, 4, 4], 1), data: new Float32Array(64).fill(5) };
    expect(seedPreprocess(volume, 3).data.every((v) => v === 0)).toBe(true);
  });

  it.each([0, -96, 2.5, NaN, Infinity])('rejects size %d', (size) => {
    expectVoxlabError(
      () => seedPreprocess(randomVolume([2, 2, 2], 1), size),
      'BAD_ARGUMENT',
      /seedPreprocess: size must be a positive integer/,
    );
  });

  it('rejects NaN voxels with BAD_VALUES and a malformed volume with BAD_ARGUMENT', () => {
    const withNaN = randomVolume([2, 2, 2], 1);
    withNaN.data[3] = NaN;
    expectVoxlabError(() => seedPreprocess(withNaN, 2), 'BAD_VALUES', /seedPreprocess/);
    expectVoxlabError(
      () => seedPreprocess({ ...withNaN, shape: [2, 2, 3] }, 2),
      'BAD_ARGUMENT',
      /seedPreprocess: volume data has 8 values/,
    );
  });
});
