// Affine -> Cornerstone geometry on the orientations of ../shared/data's test files: the reordered grid is
// LPS-aligned and right-handed, every voxel keeps its world position, and world -> file index inverts it.

import { describe, expect, it } from 'vitest';
import { cornerstoneGeometry, invertAffine, reorderVoxels, restoreVoxelOrder, worldToFileIndex, valueAt } from './geometry.js';

// IXI012's affine (PSR, left-handed) and the niivue template in RAS, LAS and SLP voxel order.
const IXI_PSR = [0, 0, 2, -88.161, -2, 0, 0, 118.232, 0, 2, 0, -135.268, 0, 0, 0, 1];
const RAS = [2, 0, 0, -80, 0, 3, 0, -110, 0, 0, 4, -60, 0, 0, 0, 1];
const LAS = [-2, 0, 0, 80, 0, 3, 0, -110, 0, 0, 4, -60, 0, 0, 0, 1];
const SLP = [0, 0, -2, 80, 0, -3, 0, 90, 4, 0, 0, -60, 0, 0, 0, 1];
const OBLIQUE = [1.9, -0.3, 0, -70, 0.3, 1.9, 0, -90, 0, 0, 2, -50, 0, 0, 0, 1];

const apply = (a: readonly number[], p: readonly number[]) =>
  [0, 1, 2].map((r) => a[r * 4]! * p[0]! + a[r * 4 + 1]! * p[1]! + a[r * 4 + 2]! * p[2]! + a[r * 4 + 3]!);

describe('cornerstoneGeometry', () => {
  it.each([
    ['IXI PSR', [5, 4, 3], IXI_PSR],
    ['RAS', [5, 4, 3], RAS],
    ['LAS', [5, 4, 3], LAS],
    ['SLP', [3, 4, 5], SLP],
    ['oblique', [5, 4, 3], OBLIQUE],
  ] as const)('%s: right-handed LPS-aligned grid with the same world positions', (_, shape, affine) => {
    const g = cornerstoneGeometry(shape, affine);
    const d = g.direction;
    const cross = [d[1] * d[5] - d[2] * d[4], d[2] * d[3] - d[0] * d[5], d[0] * d[4] - d[1] * d[3]];
    cross.forEach((c, i) => expect(c).toBeCloseTo(d[6 + i]!, 6)); // k = i x j: right-handed
    for (const axis of [0, 1, 2]) expect(d[axis * 3 + axis]).toBeGreaterThan(0.9); // i -> L, j -> P, k -> S
    // Every corner of the reordered grid lands where the file's affine puts the same voxel (LPS = flip x, y).
    for (const corner of [[0, 0, 0], [g.dimensions[0] - 1, 0, 0], [0, g.dimensions[1] - 1, g.dimensions[2] - 1]]) {
      const world = [0, 1, 2].map((r) => g.origin[r]! + corner.reduce((s, c, a) => s + c * g.spacing[a]! * d[a * 3 + r]!, 0));
      const fileIndex = apply(g.toFileIndex, corner);
      const ras = apply(affine, fileIndex);
      expect(world[0]).toBeCloseTo(-ras[0]!, 6);
      expect(world[1]).toBeCloseTo(-ras[1]!, 6);
      expect(world[2]).toBeCloseTo(ras[2]!, 6);
    }
  });

  it('IXI PSR: dimensions follow L, P, S and spacing stays 2 mm', () => {
    const g = cornerstoneGeometry([120, 120, 90], IXI_PSR);
    expect(g.dimensions).toEqual([90, 120, 120]);
    expect(g.spacing).toEqual([2, 2, 2]);
    expect(g.direction).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });
});

describe('reorderVoxels / restoreVoxelOrder', () => {
  it.each([['PSR', IXI_PSR], ['SLP', SLP], ['LAS', LAS]] as const)('%s: the value at each voxel follows its world position, and back', (_, affine) => {
    const shape = [4, 3, 2] as const;
    const data = Float32Array.from({ length: 24 }, (_, n) => n);
    const g = cornerstoneGeometry(shape, affine);
    const out = reorderVoxels(data, shape, affine);
    const [nx, ny] = g.dimensions;
    for (let k = 0; k < g.dimensions[2]; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++) {
          const [fi, fj, fk] = apply(g.toFileIndex, [i, j, k]).map(Math.round) as [number, number, number];
          expect(out[i + nx * (j + ny * k)]).toBe(data[fi + shape[0] * (fj + shape[1] * fk)]);
        }
    expect(Array.from(restoreVoxelOrder(out, shape, affine))).toEqual(Array.from(data));
  });
});

describe('worldToFileIndex / valueAt', () => {
  it('inverts the affine from LPS world points and reads the nearest voxel', () => {
    const inv = invertAffine(IXI_PSR);
    const ras = apply(IXI_PSR, [10, 20, 30]);
    const ijk = worldToFileIndex(inv, [-ras[0]!, -ras[1]!, ras[2]!]);
    ijk.forEach((v, a) => expect(v).toBeCloseTo([10, 20, 30][a]!, 9));
    const shape = [2, 2, 2] as const;
    expect(valueAt([0, 1, 2, 3, 4, 5, 6, 7], shape, [0.9, 0.2, 1.1])).toEqual({ ijk: [1, 0, 1], value: 5 });
    expect(valueAt([0, 1, 2, 3, 4, 5, 6, 7], shape, [2.6, 0, 0])).toBeNull();
  });

  it('invertAffine refuses a singular matrix', () => {
    expect(() => invertAffine([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toThrow(/singular/);
  });
});
