import { describe, expect, it } from 'vitest';
import { toAffine } from '../common/spaces.js';
import { mapPeak, PEAK_TIE_TOLERANCE } from './mapPeak.js';

const SHAPE: [number, number, number] = [8, 6, 10];
const N = SHAPE[0] * SHAPE[1] * SHAPE[2];
/** 2 mm along i, 1 mm along j, 1.5 mm along k, origin (-10, 5, 0). */
const AFFINE = toAffine([2, 0, 0, -10, 0, 1, 0, 5, 0, 0, 1.5, 0, 0, 0, 0, 1]);
const at = (i: number, j: number, k: number) => i + SHAPE[0] * (j + SHAPE[1] * k);

/** A map of `base` with [i0, i1) x [j0, j1) x [k0, k1) set to `value` (Fortran order). */
function block(lo: [number, number, number], hi: [number, number, number], value = 1, base = 0) {
  const data = new Float32Array(N).fill(base);
  for (let k = lo[2]; k < hi[2]; k++)
    for (let j = lo[1]; j < hi[1]; j++) for (let i = lo[0]; i < hi[0]; i++) data[at(i, j, k)] = value;
  return data;
}

describe('mapPeak', () => {
  it('a flat block: every voxel tied, centroid in its middle (voxel and world mm), one region', () => {
    const { peak, evidence } = mapPeak(block([0, 2, 4], [4, 6, 8], 0.7), SHAPE, AFFINE);
    expect(evidence).toBe('positive evidence');
    expect(peak).not.toBeNull();
    expect(peak!.voxelCount).toBe(4 * 4 * 4);
    expect(peak!.regions).toBe(1);
    expect(peak!.centroidVoxel).toEqual([1.5, 3.5, 5.5]);
    expect(peak!.centroidWorldMm).toEqual([2 * 1.5 - 10, 3.5 + 5, 1.5 * 5.5]);
    // The first voxel is the block's corner, on its border: kept, but not the peak's location.
    expect(peak!.voxel).toEqual([0, 2, 4]);
    expect(peak!.worldMm).toEqual([-10, 7, 6]);
    expect(peak!.value).toBeCloseTo(0.7, 6);
    expect(peak!.tolerance).toBe(PEAK_TIE_TOLERANCE);
  });

  it('ties within the relative tolerance, not beyond it; two blobs count as two regions', () => {
    const data = block([0, 0, 0], [2, 2, 2], 1);
    data[at(7, 5, 9)] = 1 - 1e-7; // within 1e-6 of 1: tied
    data[at(7, 5, 0)] = 1 - 1e-4; // a real difference: not tied
    const { peak } = mapPeak(data, SHAPE, AFFINE);
    expect(peak!.voxelCount).toBe(9);
    expect(peak!.regions).toBe(2);
    expect(peak!.centroidVoxel[0]).toBeCloseTo((4 * 0 + 4 * 1 + 7) / 9, 12);
  });

  it('a single maximum is its own centroid', () => {
    const data = new Float32Array(N).fill(0.1);
    data[at(5, 1, 7)] = 2;
    const { peak } = mapPeak(data, SHAPE, AFFINE);
    expect(peak!.voxelCount).toBe(1);
    expect(peak!.centroidVoxel).toEqual([5, 1, 7]);
    expect(peak!.voxel).toEqual([5, 1, 7]);
  });

  it.each([
    ['all zero', new Float32Array(N)],
    ['all negative', new Float32Array(N).fill(-0.3)],
    ['zero with negative dents', block([1, 1, 1], [3, 3, 3], -1)],
  ])('%s: no peak, "no positive evidence"', (_name, data) => {
    expect(mapPeak(data, SHAPE, AFFINE)).toEqual({ peak: null, evidence: 'no positive evidence' });
  });

  it('requirePositive false (a probability map): a negative-valued maximum is a peak, a constant map none', () => {
    const data = block([2, 2, 2], [3, 3, 3], -0.1, -0.5);
    expect(mapPeak(data, SHAPE, AFFINE, false).peak!.voxel).toEqual([2, 2, 2]);
    expect(mapPeak(new Float32Array(N).fill(0.4), SHAPE, AFFINE, false).peak).toBeNull();
  });
});
