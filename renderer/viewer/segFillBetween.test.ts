// Fill between slices on small labelmaps: shapes interpolated between painted slices along each axis, other
// segments left alone, nothing outside the painted range, and the patch undoes it exactly.

import { describe, expect, it } from 'vitest';
import { applyPatch } from './brush.js';
import { fillBetweenSlices } from './segFillBetween.js';

type Dims = [number, number, number];
const idx = (d: Dims, i: number, j: number, k: number) => i + d[0] * (j + d[1] * k);

/** Paints a filled square [a0, a1] x [b0, b1] of `value` on slice `k` along `axis` (a, b: the other axes in order). */
function square(
  data: Uint8Array,
  d: Dims,
  axis: number,
  k: number,
  a0: number,
  a1: number,
  b0: number,
  b1: number,
  value = 1,
): void {
  const [u, v] = [0, 1, 2].filter((x) => x !== axis);
  for (let a = a0; a <= a1; a++)
    for (let b = b0; b <= b1; b++) {
      const p = [0, 0, 0];
      p[axis] = k;
      p[u!] = a;
      p[v!] = b;
      data[idx(d, p[0]!, p[1]!, p[2]!)] = value;
    }
}

/** Voxels of `value` on each slice along `axis`. */
function counts(data: Uint8Array, d: Dims, axis: number, value = 1): number[] {
  const out = new Array<number>(d[axis]!).fill(0);
  for (let k = 0; k < d[2]; k++)
    for (let j = 0; j < d[1]; j++)
      for (let i = 0; i < d[0]; i++) if (data[idx(d, i, j, k)] === value) out[[i, j, k][axis]!]!++;
  return out;
}

describe('fill between slices', () => {
  it.each([0, 1, 2] as const)('copies one shape across the gap along axis %i', (axis) => {
    const d: Dims = [9, 9, 9];
    const data = new Uint8Array(729);
    square(data, d, axis, 1, 2, 5, 3, 6);
    square(data, d, axis, 6, 2, 5, 3, 6);
    const before = data.slice();
    const patch = fillBetweenSlices(data, d, [1, 1, 1], axis, 1);
    expect(counts(data, d, axis)).toEqual([0, 16, 16, 16, 16, 16, 16, 0, 0]);
    expect(patch.index.length).toBe(64);
    applyPatch(data, patch, 'undo');
    expect(Array.from(data)).toEqual(Array.from(before));
  });

  it('grows a small square into a large one across the gap (shape-based, not a union)', () => {
    const d: Dims = [13, 13, 5];
    const data = new Uint8Array(13 * 13 * 5);
    square(data, d, 2, 0, 5, 7, 5, 7); // 3 x 3
    square(data, d, 2, 4, 1, 11, 1, 11); // 11 x 11
    fillBetweenSlices(data, d, [1, 1, 2], 2, 1);
    const c = counts(data, d, 2);
    expect(c[0]).toBe(9);
    expect(c[4]).toBe(121);
    expect(c[1]! > 9 && c[1]! < c[2]! && c[2]! < c[3]! && c[3]! < 121).toBe(true);
    expect(c[2]).toBe(49); // halfway: the 7 x 7 square
    expect(data[idx(d, 6, 6, 2)]).toBe(1);
    expect(data[idx(d, 1, 1, 2)]).toBe(0);
  });

  it('leaves other segments, ends and ungapped slices alone', () => {
    const d: Dims = [7, 7, 8];
    const data = new Uint8Array(7 * 7 * 8);
    square(data, d, 2, 2, 1, 4, 1, 4);
    square(data, d, 2, 3, 1, 4, 1, 4);
    square(data, d, 2, 6, 1, 4, 1, 4);
    data[idx(d, 2, 2, 4)] = 3; // another segment inside the gap
    const patch = fillBetweenSlices(data, d, [1, 1, 1], 2, 1);
    expect(counts(data, d, 2)).toEqual([0, 0, 16, 16, 15, 16, 16, 0]);
    expect(data[idx(d, 2, 2, 4)]).toBe(3);
    expect(patch.index.length).toBe(31);
    expect(fillBetweenSlices(data, d, [1, 1, 1], 2, 2).index.length).toBe(0); // no segment 2 anywhere
  });

  it('refuses a bad segment value, axis or size', () => {
    const data = new Uint8Array(8);
    expect(() => fillBetweenSlices(data, [2, 2, 2], [1, 1, 1], 2, 0)).toThrow(/segment value 0/);
    expect(() => fillBetweenSlices(data, [2, 2, 2], [1, 1, 1], 3 as never, 1)).toThrow(/axis 3/);
    expect(() => fillBetweenSlices(data, [2, 2, 3], [1, 1, 1], 2, 1)).toThrow(/8 voxels/);
  });
});
