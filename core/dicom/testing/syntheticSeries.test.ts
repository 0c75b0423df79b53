// syntheticSeries: valid MR files (dciodvfy), consistent geometry, seeded, and converted by both dcm2niix
// builds to the expected shape and values.

import { describe, expect, it } from 'vitest';
import { readInstanceRef } from '../refs.js';
import { dciodvfy } from './dciodvfy.js';
import { convertNative, convertWasm } from './sourceSeries.js';
import { syntheticSeries } from './syntheticSeries.js';

const named = (files: Uint8Array[]) => files.map((bytes, i) => ({ name: `${i}.dcm`, bytes }));

describe('syntheticSeries', () => {
  it('writes MR images dciodvfy accepts without errors or warnings', () => {
    const [first] = syntheticSeries({ slices: 2, rows: 8, columns: 6 });
    const result = dciodvfy(first!);
    expect(result.output).toMatch(/^MRImage/m);
    expect(result.errors, result.output).toEqual([]);
    expect(result.warnings, result.output).toEqual([]);
  });

  it('places slice k at origin + k · spacing · normal, with one series and distinct instances', () => {
    const orientation = [0, 1, 0, 0, 0, -1] as const; // sagittal: normal = row × column = (-1, 0, 0)
    const files = syntheticSeries({
      slices: 5,
      rows: 6,
      columns: 4,
      orientation,
      sliceSpacing: 2.5,
      origin: [10, -20, 30],
    });
    const refs = files.map((f) => readInstanceRef(f)!);
    refs.forEach((r, k) => {
      expect(r.imagePositionPatient).toEqual([10 - 2.5 * k, -20, 30]);
      expect(r.imageOrientationPatient).toEqual([...orientation]);
      expect([r.rows, r.columns, r.instanceNumber]).toEqual([6, 4, k + 1]);
    });
    expect(new Set(refs.map((r) => r.seriesInstanceUid)).size).toBe(1);
    expect(new Set(refs.map((r) => r.sopInstanceUid)).size).toBe(5);
  });

  it('repeats itself for a seed and differs for another', () => {
    const [a, b, c] = [1, 1, 2].map((seed) => syntheticSeries({ slices: 2, rows: 4, columns: 4, seed }));
    expect(a).toEqual(b);
    expect(readInstanceRef(c![0]!)!.seriesInstanceUid).not.toBe(readInstanceRef(a![0]!)!.seriesInstanceUid);
  });

  it('makes 1000 slices (the memory benchmark) with distinct UIDs', () => {
    const files = syntheticSeries({ slices: 1000, rows: 16, columns: 16, seed: 9 });
    expect(files).toHaveLength(1000);
    expect(new Set(files.map((f) => readInstanceRef(f)!.sopInstanceUid)).size).toBe(1000);
  });

  it.each([
    ['wasm', convertWasm],
    ['native', async (inputs: Parameters<typeof convertNative>[0]) => convertNative(inputs)],
  ])(
    'converts with the %s dcm2niix to [columns, rows, slices], ellipsoid 1000 on background 100',
    async (_name, convert) => {
      const volumes = await convert(named(syntheticSeries({ slices: 9, rows: 20, columns: 24, seed: 4 })));
      expect(volumes).toHaveLength(1);
      const { dims, data } = volumes[0]!;
      expect(dims).toEqual([24, 20, 9]);
      const at = (x: number, y: number, z: number) => data[x + dims[0] * (y + dims[1] * z)]!;
      expect(at(12, 10, 4)).toBeGreaterThanOrEqual(1000);
      expect(at(12, 10, 4)).toBeLessThan(1050);
      expect(at(0, 0, 0)).toBeGreaterThanOrEqual(100);
      expect(at(0, 0, 0)).toBeLessThan(150);
    },
  );

  it('refuses sizes that are not whole numbers in 1..65535', () => {
    expect(() => syntheticSeries({ slices: 0, rows: 4, columns: 4 })).toThrow(
      expect.objectContaining({ code: 'BAD_ARGUMENT', message: expect.stringMatching(/slices/) }),
    );
    expect(() => syntheticSeries({ slices: 1, rows: 4.5, columns: 4 })).toThrow(
      expect.objectContaining({ code: 'BAD_ARGUMENT', message: expect.stringMatching(/rows/) }),
    );
  });
});
