// asClosestCanonical on the shared orientation test images: one brain stored in six voxel orders must
// become the same RAS+ array with the same diagonal affine, as nibabel's as_closest_canonical gives.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toAffine } from '../common/spaces.js';
import { asClosestCanonical } from './canonical.js';
import { readNifti } from './readNifti.js';
import type { Volume } from './types.js';

const DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const ORDERS = ['RAS', 'LAS', 'AIL', 'IRA', 'PSR', 'SLP'] as const;

function sameData(a: Float32Array, b: Float32Array): boolean {
  return (
    a.length === b.length &&
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    )
  );
}

describe('asClosestCanonical', () => {
  it('turns the six voxel orders of niivue_nifti_space into one RAS volume', async () => {
    const volumes = new Map<string, Volume>();
    for (const order of ORDERS) {
      const original = await readNifti(`${DATA}edge_cases/niivue_nifti_space_${order}.nii.gz`);
      expect(original.axcodes).toBe(order);
      volumes.set(order, asClosestCanonical(original));
    }
    const ras = volumes.get('RAS')!;
    expect(ras.shape).toEqual([64, 79, 67]);
    for (const [order, v] of volumes) {
      expect(v.axcodes, order).toBe('RAS');
      expect(v.shape, order).toEqual(ras.shape);
      expect(sameData(v.data, ras.data), `${order} data equals RAS data`).toBe(true);
      for (let r = 0; r < 3; r++) {
        for (let c = 0; c < 4; c++) {
          if (r === c) expect(v.affine[r * 4 + c]!, order).toBeGreaterThan(0);
          else if (c < 3) expect(Math.abs(v.affine[r * 4 + c]!), order).toBeLessThan(1e-6);
          expect(v.affine[r * 4 + c]!, `${order} affine[${r}][${c}]`).toBeCloseTo(ras.affine[r * 4 + c]!, 3);
        }
      }
      expect(v.header.pixdim[0], order).toBeCloseTo(2.38523, 4);
    }
  });

  it('returns a RAS volume unchanged', async () => {
    const volume = await readNifti(`${DATA}nifti/niivue_chris_t1.nii.gz`);
    expect(asClosestCanonical(volume)).toBe(volume);
  });

  it('reorders an IXI scan (PSR) and maps the same voxel to the same world point', async () => {
    const volume = await readNifti(`${DATA}ixi/t1/IXI012-HH-1211_T1.nii.gz`);
    const canonical = asClosestCanonical(volume);
    expect([canonical.axcodes, canonical.shape, canonical.header.shape]).toEqual([
      'RAS',
      [90, 120, 120],
      [90, 120, 120],
    ]);
    // Voxel (i, j, k) of the PSR file: i runs P (→ -y), j runs S (→ z), k runs R (→ x).
    const [i, j, k] = [40, 60, 60];
    const value = volume.data[i + 120 * (j + 120 * k)];
    const [x, y, z] = [k, 119 - i, j];
    expect(canonical.data[x + 90 * (y + 120 * z)]).toBe(value);
    const world = (a: readonly number[], p: number[]) =>
      [0, 1, 2].map((r) => a[r * 4]! * p[0]! + a[r * 4 + 1]! * p[1]! + a[r * 4 + 2]! * p[2]! + a[r * 4 + 3]!);
    world(toAffine(canonical.affine), [x, y, z]).forEach((w, n) =>
      expect(w).toBeCloseTo(world(volume.affine, [i, j, k])[n]!, 6),
    );
  });
});
