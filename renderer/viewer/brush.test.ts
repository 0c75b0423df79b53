// Brush maths: world -> grid index, a disk on one slice in the view's plane, exact undo and redo.

import { describe, expect, it } from 'vitest';
import { applyPatch, paintDisk, planeAxes, worldToGridIndex, type Patch } from './brush.js';

const newPatch = (): Patch => ({ index: [], before: [], after: [] });

describe('brush', () => {
  it('maps world points to grid indices', () => {
    const g = { origin: [10, 20, 30] as [number, number, number], spacing: [2, 2, 4] as [number, number, number], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] as never };
    expect(worldToGridIndex(g, [14, 20, 38])).toEqual([2, 0, 2]);
  });

  it('paints a disk on one axial slice and undoes / redoes it exactly', () => {
    const dims = [9, 9, 3] as const;
    const data = new Uint8Array(9 * 9 * 3);
    data[4 + 9 * 4 + 81 * 1] = 2; // already another label at the centre
    const patch = newPatch();
    const changed = paintDisk(data, dims, [1, 1, 1], [4, 4, 1.2], [0, 1], 2, 1, patch, new Set());
    expect(changed).toBe(13); // lattice points with x^2 + y^2 <= 4
    const slice = (k: number) => Array.from(data.subarray(81 * k, 81 * (k + 1)));
    expect(slice(0).every((v) => v === 0)).toBe(true);
    expect(slice(2).every((v) => v === 0)).toBe(true);
    expect(data[4 + 9 * 4 + 81]).toBe(1);
    expect(data[4 + 9 * 2 + 81]).toBe(1);
    expect(data[4 + 9 * 1 + 81]).toBe(0);
    const painted = Array.from(data);
    applyPatch(data, patch, 'undo');
    expect(data[4 + 9 * 4 + 81]).toBe(2);
    expect(data.reduce((s, v) => s + v, 0)).toBe(2);
    applyPatch(data, patch, 'redo');
    expect(Array.from(data)).toEqual(painted);
  });

  it('erasing (value 0) and painting outside the grid', () => {
    const data = new Uint8Array(27).fill(1);
    const patch = newPatch();
    expect(paintDisk(data, [3, 3, 3], [1, 1, 1], [1, 1, 1], [0, 2], 1, 0, patch, new Set())).toBe(5);
    expect(paintDisk(data, [3, 3, 3], [1, 1, 1], [1, 7, 1], [0, 2], 1, 0, newPatch(), new Set())).toBe(0);
  });

  it('finds the in-plane axes of a view', () => {
    expect(planeAxes([1, 0, 0, 0, 1, 0, 0, 0, 1], [0, 0, -1])).toEqual([0, 1]);
    expect(planeAxes([1, 0, 0, 0, 1, 0, 0, 0, 1], [0, -1, 0])).toEqual([0, 2]);
    expect(planeAxes([1, 0, 0, 0, 1, 0, 0, 0, 1], [1, 0, 0])).toEqual([1, 2]);
  });
});
