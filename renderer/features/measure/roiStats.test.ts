// Measurement math on known phantoms: counts, mean/std/min/max and volume in mm³ of regions on slices, the
// same answer for the same world region stored in another voxel order, and lengths in mm.

import { describe, expect, it } from 'vitest';
import { isVoxlabError } from '../../../core/common/errors.js';
import { lengthMm, lpsAffine, roiFromCorners, roiStats, type Vec3, type VoxelGrid } from './roiStats.js';

/** A grid of `shape` with `affine` (voxel -> world mm), each voxel holding value(world position). */
function phantom(shape: [number, number, number], affine: number[], value: (w: Vec3) => number): VoxelGrid {
  const data = new Float32Array(shape[0] * shape[1] * shape[2]);
  for (let k = 0; k < shape[2]; k++)
    for (let j = 0; j < shape[1]; j++)
      for (let i = 0; i < shape[0]; i++) {
        const w = [0, 1, 2].map((r) => affine[r * 4]! * i + affine[r * 4 + 1]! * j + affine[r * 4 + 2]! * k + affine[r * 4 + 3]!);
        data[i + shape[0] * (j + shape[1] * k)] = value(w as unknown as Vec3);
      }
  return { data, shape, affine };
}

// 2 x 3 x 4 mm voxels, origin (10, 20, 30) mm; value = i + 10 j + 100 k.
const AFFINE = [2, 0, 0, 10, 0, 3, 0, 20, 0, 0, 4, 30, 0, 0, 0, 1];
const world = (i: number, j: number, k: number): Vec3 => [10 + 2 * i, 20 + 3 * j, 30 + 4 * k];
const GRID = phantom([10, 10, 8], AFFINE, (w) => (w[0] - 10) / 2 + (10 * (w[1] - 20)) / 3 + (100 * (w[2] - 30)) / 4);
const UP: Vec3 = [0, 1, 0];
const NORMAL: Vec3 = [0, 0, 1];

describe('roiStats', () => {
  it('a rectangle over voxels i 2-5, j 3-6 of slice 5: 16 voxels, 384 mm³, exact statistics', () => {
    const s = roiStats(GRID, roiFromCorners('rectangle', world(2, 3, 5), world(5, 6, 5), UP, NORMAL));
    expect(s.count).toBe(16);
    expect(s.volumeMm3).toBeCloseTo(16 * 24, 9);
    expect(s.mean).toBeCloseTo(3.5 + 45 + 500, 5);
    expect(s.min).toBe(2 + 30 + 500);
    expect(s.max).toBe(5 + 60 + 500);
    expect(s.std).toBeCloseTo(Math.sqrt(1.25 + 125), 4); // independent i and j spreads add
  });

  it('corners given in either order, and a plane between two slices, take one slice', () => {
    const between: Vec3 = [0, 0, 2]; // half a 4 mm slice up
    const a = world(5, 6, 5).map((v, r) => v + between[r]!) as unknown as Vec3;
    const b = world(2, 3, 5).map((v, r) => v + between[r]!) as unknown as Vec3;
    const s = roiStats(GRID, roiFromCorners('rectangle', a, b, UP, NORMAL));
    expect(s.count).toBe(16);
    expect(s.min).toBe(2 + 30 + 500); // on the face between slices 5 and 6, [-h, h) keeps slice 5 only
  });

  it('an ellipse of radius 10 mm on a 1 mm grid holds the 317 lattice points of the disk (π r² ≈ 314)', () => {
    const grid = phantom([41, 41, 3], [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], () => 7);
    const s = roiStats(grid, roiFromCorners('ellipse', [10, 10, 1], [30, 30, 1], UP, NORMAL));
    expect(s.count).toBe(317);
    expect(s.volumeMm3).toBe(317);
    expect([s.mean, s.std, s.min, s.max]).toEqual([7, 0, 7, 7]);
  });

  it('gives the same statistics for the same world region stored in another voxel order (PSR, flipped)', () => {
    const value = (w: Vec3) => w[0] + 10 * w[1] + 100 * w[2];
    const ras = phantom([20, 20, 20], [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], value);
    // Voxel axes i -> -y (P), j -> -z (I), k -> +x (R): the layout IXI files use.
    const psr = phantom([20, 20, 20], [0, 0, 1, 0, -1, 0, 0, 19, 0, -1, 0, 19, 0, 0, 0, 1], value);
    const roi = roiFromCorners('ellipse', [3, 4, 9], [15, 12, 9], UP, NORMAL);
    const a = roiStats(ras, roi);
    const b = roiStats(psr, roi);
    expect(a.count).toBeGreaterThan(50);
    expect(b).toEqual(a);
  });

  it('works in Cornerstone LPS world through lpsAffine (x and y negated)', () => {
    const lps = { ...GRID, affine: lpsAffine(AFFINE) };
    const [a, b] = [world(2, 3, 5), world(5, 6, 5)].map((p) => [-p[0], -p[1], p[2]] as Vec3);
    const s = roiStats(lps, roiFromCorners('rectangle', a!, b!, [0, -1, 0], NORMAL));
    expect(s.count).toBe(16);
    expect(s.mean).toBeCloseTo(548.5, 5);
  });

  it('skips non-finite voxels, and reports an empty region outside the grid', () => {
    const data = Float32Array.from(GRID.data as Float32Array);
    data[2 + 10 * (3 + 10 * 5)] = NaN;
    const s = roiStats({ ...GRID, data }, roiFromCorners('rectangle', world(2, 3, 5), world(5, 6, 5), UP, NORMAL));
    expect(s.count).toBe(15);
    expect(s.min).toBe(3 + 30 + 500);
    const out = roiStats(GRID, roiFromCorners('rectangle', world(20, 20, 5), world(25, 25, 5), UP, NORMAL));
    expect(out.count).toBe(0);
    expect(out.volumeMm3).toBe(0);
    expect(Number.isNaN(out.mean)).toBe(true);
  });

  it('refuses data that does not fit the shape, and a camera that is not orthonormal', () => {
    const bad = () => roiStats({ ...GRID, shape: [10, 10, 9] }, roiFromCorners('rectangle', world(0, 0, 0), world(1, 1, 0), UP, NORMAL));
    expect(bad).toThrow(/800 voxels for shape \[10, 10, 9\]/);
    try {
      roiFromCorners('ellipse', [0, 0, 0], [1, 1, 0], [0, 1, 0], [0, 1, 0]);
      expect.unreachable();
    } catch (e) {
      expect(isVoxlabError(e) && e.code === 'BAD_ARGUMENT').toBe(true);
    }
  });
});

describe('lengthMm', () => {
  it('is the Euclidean distance in mm', () => {
    expect(lengthMm(world(0, 0, 0), world(3, 4, 0))).toBeCloseTo(Math.hypot(6, 12), 12);
    expect(lengthMm([1, 2, 3], [1, 2, 3])).toBe(0);
  });
});
