// Brush maths: world -> grid index, a disk on one slice in the view's plane, a sphere across slices with
// anisotropic spacing, exact undo and redo, and the diff patch a restore is made of.

import { describe, expect, it } from 'vitest';
import {
  applyPatch,
  diffPatch,
  openPatch,
  paintDisk,
  paintSphere,
  planeAxes,
  worldToGridIndex,
} from './brush.js';

/** Voxels equal to `value` per slice k of a [nx, ny, nz] grid. */
function perSlice(data: Uint8Array, dims: readonly [number, number, number], value: number): number[] {
  const plane = dims[0] * dims[1];
  return Array.from(
    { length: dims[2] },
    (_, k) => data.subarray(plane * k, plane * (k + 1)).filter((v) => v === value).length,
  );
}

describe('brush', () => {
  it('maps world points to grid indices', () => {
    const g = {
      origin: [10, 20, 30] as [number, number, number],
      spacing: [2, 2, 4] as [number, number, number],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] as never,
    };
    expect(worldToGridIndex(g, [14, 20, 38])).toEqual([2, 0, 2]);
  });

  it('paints a disk on one axial slice and undoes / redoes it exactly', () => {
    const dims = [9, 9, 3] as const;
    const data = new Uint8Array(9 * 9 * 3);
    data[4 + 9 * 4 + 81 * 1] = 2; // already another label at the centre
    const open = openPatch();
    const changed = paintDisk(data, dims, [1, 1, 1], [4, 4, 1.2], [0, 1], 2, 1, open);
    expect(changed).toBe(13); // lattice points with x^2 + y^2 <= 4
    expect(perSlice(data, dims, 1)).toEqual([0, 13, 0]);
    expect(data[4 + 9 * 2 + 81]).toBe(1);
    expect(data[4 + 9 * 1 + 81]).toBe(0);
    const painted = Array.from(data);
    applyPatch(data, open.patch, 'undo');
    expect(data[4 + 9 * 4 + 81]).toBe(2);
    expect(data.reduce((s, v) => s + v, 0)).toBe(2);
    applyPatch(data, open.patch, 'redo');
    expect(Array.from(data)).toEqual(painted);
  });

  it('records a voxel painted twice in one stroke once, with its first value before', () => {
    const data = new Uint8Array(27);
    const open = openPatch();
    paintDisk(data, [3, 3, 3], [1, 1, 1], [1, 1, 1], [0, 1], 0.5, 4, open);
    paintDisk(data, [3, 3, 3], [1, 1, 1], [1, 1, 1], [0, 1], 0.5, 7, open);
    expect(open.patch).toEqual({ index: [13], before: [0], after: [7] });
  });

  it('erasing (value 0) and painting outside the grid', () => {
    const data = new Uint8Array(27).fill(1);
    expect(paintDisk(data, [3, 3, 3], [1, 1, 1], [1, 1, 1], [0, 2], 1, 0, openPatch())).toBe(5);
    expect(paintDisk(data, [3, 3, 3], [1, 1, 1], [1, 7, 1], [0, 2], 1, 0, openPatch())).toBe(0);
  });

  it('paints a sphere across slices, in mm, with anisotropic spacing', () => {
    // 1 x 1 mm in plane, 3 mm slices; radius 3 mm around (5, 5, 2): slices 1..3 only, a 3 mm disk at the
    // centre slice (29 lattice points with x^2 + y^2 <= 9) and a single voxel at +-3 mm.
    const dims = [11, 11, 5] as const;
    const data = new Uint8Array(11 * 11 * 5);
    const open = openPatch();
    const changed = paintSphere(data, dims, [1, 1, 3], [5, 5, 2], 3, 1, open);
    expect(perSlice(data, dims, 1)).toEqual([0, 1, 29, 1, 0]);
    expect(changed).toBe(31);
    expect(data[5 + 11 * 5 + 121 * 1]).toBe(1);
    expect(data[6 + 11 * 5 + 121 * 1]).toBe(0);
    // The same ball with isotropic 1 mm voxels reaches 3 slices each way.
    const iso = new Uint8Array(11 * 11 * 11);
    paintSphere(iso, [11, 11, 11], [1, 1, 1], [5, 5, 5], 3, 1, openPatch());
    expect(perSlice(iso, [11, 11, 11], 1)).toEqual([0, 0, 1, 21, 25, 29, 25, 21, 1, 0, 0]);
    // Spacing along i: 2 mm in i means radius 3 mm spans only 1 step each way along i.
    const wide = new Uint8Array(11 * 11 * 1);
    paintSphere(wide, [11, 11, 1], [2, 1, 1], [5, 5, 0], 3, 1, openPatch());
    const row = Array.from(wide.subarray(11 * 5, 11 * 6));
    expect(row).toEqual([0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0]);
    applyPatch(data, open.patch, 'undo');
    expect(data.every((v) => v === 0)).toBe(true);
  });

  it('clips a sphere at the grid edge', () => {
    const data = new Uint8Array(4 * 4 * 4);
    expect(paintSphere(data, [4, 4, 4], [1, 1, 1], [0, 0, 0], 1, 3, openPatch())).toBe(4);
  });

  it('diffs two labelmaps into a patch that restores either', () => {
    const before = Uint8Array.from([0, 1, 2, 0, 5]);
    const after = Uint8Array.from([0, 0, 2, 3, 5]);
    const patch = diffPatch(before, after);
    expect(patch).toEqual({ index: [1, 3], before: [1, 0], after: [0, 3] });
    const data = before.slice();
    applyPatch(data, patch, 'redo');
    expect(Array.from(data)).toEqual(Array.from(after));
    applyPatch(data, patch, 'undo');
    expect(Array.from(data)).toEqual(Array.from(before));
    expect(() => diffPatch(before, new Uint8Array(2))).toThrow(/diffPatch/);
  });

  it('finds the in-plane axes of a view', () => {
    expect(planeAxes([1, 0, 0, 0, 1, 0, 0, 0, 1], [0, 0, -1])).toEqual([0, 1]);
    expect(planeAxes([1, 0, 0, 0, 1, 0, 0, 0, 1], [0, -1, 0])).toEqual([0, 2]);
    expect(planeAxes([1, 0, 0, 0, 1, 0, 0, 0, 1], [1, 0, 0])).toEqual([1, 2]);
  });
});
