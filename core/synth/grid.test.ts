import { describe, expect, it } from 'vitest';
import { voxelToWorld } from '../common/spaces.js';
import {
  apply,
  compose,
  gridAffine,
  invert,
  poseMap,
  rotationMatrix,
  templateToVoxel,
  voxelToTemplate,
} from './grid.js';

describe('gridAffine', () => {
  it('maps the grid centre to the world origin with 2 mm RAS steps', () => {
    const a = gridAffine([120, 120, 90], 2, 'RAS');
    expect([...a]).toEqual([2, 0, 0, -119, 0, 2, 0, -119, 0, 0, 2, -89, 0, 0, 0, 1]);
    expect([...voxelToWorld(a, [59.5, 59.5, 44.5])]).toEqual([0, 0, 0]);
  });

  it("points PSR's i to posterior, j to superior and k to right, like the IXI scans", () => {
    const a = gridAffine([120, 120, 90], 2, 'PSR');
    const origin = voxelToWorld(a, [0, 0, 0]);
    const step = (ijk: [number, number, number]): number[] =>
      voxelToWorld(a, ijk).map((x, r) => x - origin[r]!);
    expect(step([1, 0, 0])).toEqual([0, -2, 0]);
    expect(step([0, 1, 0])).toEqual([0, 0, 2]);
    expect(step([0, 0, 1])).toEqual([2, 0, 0]);
    expect([...voxelToWorld(a, [59.5, 59.5, 44.5])].map((x) => x + 0)).toEqual([0, 0, 0]);
  });
});

describe('pose maps', () => {
  const pose = { rotationDeg: [3, -2, 4] as const, translationMm: [1.5, -2, 3] as const, scale: 1.04 };

  it('builds orthonormal rotations', () => {
    const r = rotationMatrix([10, -20, 30]);
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 3; b++) {
        const dot = r[a]! * r[b]! + r[3 + a]! * r[3 + b]! + r[6 + a]! * r[6 + b]!;
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 12);
      }
  });

  it('inverts and composes exactly enough for voxel ↔ template round trips', () => {
    const m = poseMap(pose);
    const id = compose(m, invert(m));
    expect(id.map((x) => Math.round(x * 1e9) / 1e9 + 0)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]);
    const a = gridAffine([64, 64, 48], 3.6, 'PSR');
    const p = apply(templateToVoxel(a, pose), [28, -4, 24]);
    const back = apply(voxelToTemplate(a, pose), p);
    back.forEach((x, i) => expect(x).toBeCloseTo([28, -4, 24][i]!, 9));
  });

  it('scales and shifts the template as world = T + s R t', () => {
    const w = apply(poseMap({ rotationDeg: [0, 0, 90], translationMm: [1, 2, 3], scale: 2 }), [10, 0, 0]);
    expect(w.map((x) => Math.round(x * 1e9) / 1e9)).toEqual([1, 22, 3]);
  });
});
