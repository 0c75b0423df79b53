// The head mask: Otsu on a two-level histogram, slice-wise hole filling (also of a head cut by the volume's
// edge), largest component, and a synthetic head with a dark skull and ventricle, a noise speck in the air.

import { describe, expect, it } from 'vitest';
import {
  fillHolesBySlice,
  foregroundMask,
  largestComponent,
  maskOutside,
  otsuThreshold,
} from './foregroundMask.js';

type Shape = [number, number, number];
const at = (shape: Shape, i: number, j: number, k: number) => i + shape[0] * (j + shape[1] * k);

/** A phantom head: scalp shell (100), dark skull (2), brain (60), dark ventricle (3), air noise 0-5. */
function phantom(shape: Shape, centre: [number, number, number]): Float32Array {
  const data = new Float32Array(shape[0] * shape[1] * shape[2]);
  let seed = 7;
  const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 5;
  for (let k = 0; k < shape[2]; k++)
    for (let j = 0; j < shape[1]; j++)
      for (let i = 0; i < shape[0]; i++) {
        const r = Math.hypot(i - centre[0], j - centre[1], k - centre[2]);
        data[at(shape, i, j, k)] = r < 3 ? 3 : r < 10 ? 60 : r < 12 ? 2 : r < 14 ? 100 : noise();
      }
  return data;
}

describe('otsuThreshold', () => {
  it('splits a two-level histogram between the levels', () => {
    const data = Float32Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? 10 + (i % 7) : 50 + (i % 5)));
    const t = otsuThreshold(data);
    expect(t).toBeGreaterThan(16);
    expect(t).toBeLessThan(50);
  });
  it.each([
    [[4, 4, 4], 4],
    [[Number.NaN, Number.POSITIVE_INFINITY], Number.NaN],
  ])('handles flat or empty data %j', (values, expected) => {
    expect(otsuThreshold(Float32Array.from(values))).toEqual(expected);
  });
});

describe('hole filling and components', () => {
  it('fills a hole enclosed within a slice and keeps open background', () => {
    const shape: Shape = [5, 5, 1];
    const ring = new Uint8Array(25);
    for (let j = 1; j <= 3; j++)
      for (let i = 1; i <= 3; i++) ring[at(shape, i, j, 0)] = i === 2 && j === 2 ? 0 : 1;
    const filled = fillHolesBySlice(ring, shape);
    expect(filled[at(shape, 2, 2, 0)]).toBe(1);
    expect(filled[at(shape, 0, 0, 0)]).toBe(0);
    expect(filled.reduce((a, b) => a + b, 0)).toBe(9);
  });
  it('keeps the largest 6-connected component only (diagonal neighbours are apart)', () => {
    const shape: Shape = [4, 4, 1];
    const mask = new Uint8Array(16);
    for (const [i, j] of [
      [0, 0],
      [1, 0],
      [0, 1],
      [3, 3],
      [2, 2],
    ])
      mask[at(shape, i!, j!, 0)] = 1;
    const big = largestComponent(mask, shape);
    expect([...big].reduce((a, b) => a + b, 0)).toBe(3);
    expect(big[at(shape, 2, 2, 0)]).toBe(0);
    expect(largestComponent(new Uint8Array(16), shape).every((v) => v === 0)).toBe(true);
  });
  it('refuses data that does not fit the shape', () => {
    expect(() => largestComponent(new Uint8Array(10), [2, 2, 2])).toThrow(/do not fit/);
  });
});

describe('foregroundMask', () => {
  it.each([
    ['a head inside the volume', [40, 36, 34] as Shape, [20, 18, 17] as [number, number, number]],
    [
      'a head cut by the bottom of the volume (neck)',
      [40, 36, 30] as Shape,
      [20, 18, 10] as [number, number, number],
    ],
  ])('%s: head with skull and ventricle in, air and a speck out', (_, shape, c) => {
    const data = phantom(shape, c);
    for (const [i, j, k] of [
      [1, 1, shape[2] - 2],
      [2, 1, shape[2] - 2],
      [1, 2, shape[2] - 2],
    ])
      data[at(shape, i!, j!, k!)] = 100; // a speck in the air
    const mask = foregroundMask(data, shape);
    expect(mask[at(shape, ...c)]).toBe(1); // ventricle
    expect(mask[at(shape, c[0] + 11, c[1], c[2])]).toBe(1); // skull
    expect(mask[at(shape, c[0] + 6, c[1], c[2])]).toBe(1); // brain
    expect(mask[at(shape, c[0] + 16, c[1], c[2])]).toBe(0); // air beside the head
    expect(mask[at(shape, 1, 1, shape[2] - 2)]).toBe(0); // the speck
    const inside = [...data.keys()].filter((idx) => {
      const i = idx % shape[0];
      const j = Math.floor(idx / shape[0]) % shape[1];
      const k = Math.floor(idx / (shape[0] * shape[1]));
      return Math.hypot(i - c[0], j - c[1], k - c[2]) < 14;
    });
    const count = mask.reduce((a, b) => a + b, 0);
    expect(inside.every((idx) => mask[idx] === 1)).toBe(true);
    expect(count).toBe(inside.length);
  });
});

describe('maskOutside', () => {
  it('sets voxels outside the mask and leaves the map alone', () => {
    const map = Float32Array.from([1, 2, 3]);
    expect([...maskOutside(map, Uint8Array.from([1, 0, 1]), -5)]).toEqual([1, -5, 3]);
    expect([...map]).toEqual([1, 2, 3]);
    expect(() => maskOutside(map, new Uint8Array(2), 0)).toThrow(/mask of 2/);
  });
});
