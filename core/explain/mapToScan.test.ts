import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toAffine } from '../common/spaces.js';
import { readNifti } from '../io/readNifti.js';
import type { Volume } from '../io/types.js';
import { seedPreprocess } from '../transforms/seedPreprocess.js';
import { mapToScan, writeMapOnScan } from './mapToScan.js';

const AFFINE = toAffine([
  [0, 0, -1.2, 90],
  [-1, 0, 0, 100],
  [0, 1.5, 0, -80],
  [0, 0, 0, 1],
]);
const SCAN = { shape: [10, 6, 14] as [number, number, number], affine: AFFINE };
const fortranIndex = (i: number, j: number, k: number) => i + 10 * (j + 6 * k);

describe('mapToScan', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('keeps a hot corner in the same corner, in NIfTI order, with the scan shape and affine', () => {
    const data = new Float32Array(4 * 4 * 4);
    data[(0 * 4 + 3) * 4 + 0] = 1; // map voxel (0, 3, 0): low i, high j, low k
    const image = mapToScan({ shape: [4, 4, 4], data }, SCAN);
    expect(image.shape).toEqual([10, 6, 14]);
    expect(image.affine).toBe(AFFINE);
    expect(image.data).toBeInstanceOf(Float32Array);
    const values = Array.from(image.data);
    const hottest = values.indexOf(Math.max(...values));
    expect(hottest).toBe(fortranIndex(0, 5, 0));
    expect(image.data[fortranIndex(0, 5, 0)]).toBe(1);
    expect(image.data[fortranIndex(9, 0, 13)]).toBe(0);
    expect(image.data[fortranIndex(9, 5, 0)]).toBe(0);
  });

  it('keeps a constant map constant', () => {
    const image = mapToScan({ shape: [3, 5, 4], data: new Float32Array(60).fill(0.37) }, SCAN);
    for (const v of image.data) expect(v).toBeCloseTo(0.37, 6);
  });

  it('maps scan voxel i to model coordinate (i + 0.5) * N / n - 0.5 along each axis', () => {
    // A ramp along the model's first axis: value = model index.
    const N = 4;
    const data = Float32Array.from({ length: N * 2 * 2 }, (_, v) => Math.floor(v / 4));
    const image = mapToScan({ shape: [N, 2, 2], data }, SCAN);
    for (let i = 0; i < 10; i++) {
      const expected = Math.min(Math.max(((i + 0.5) * N) / 10 - 0.5, 0), N - 1);
      expect(image.data[fortranIndex(i, 3, 7)]).toBeCloseTo(expected, 5);
    }
  });

  it('inverts the seed preprocessing grid: a blob in the scan lands back on its voxels', () => {
    // A scan with a bright cube; its seed input (16^3) used as a "map" and brought back peaks at the cube.
    const shape: [number, number, number] = [20, 12, 28];
    const scanData = new Float32Array(20 * 12 * 28);
    for (let i = 2; i < 6; i++)
      for (let j = 7; j < 11; j++) for (let k = 20; k < 26; k++) scanData[i + 20 * (j + 12 * k)] = 1;
    const volume = { shape, data: scanData, affine: AFFINE } as unknown as Volume;
    const input = seedPreprocess(volume, 16);
    const image = mapToScan({ shape: [16, 16, 16], data: input.data }, { shape, affine: AFFINE });
    const values = Array.from(image.data);
    const peak = values.indexOf(Math.max(...values));
    const [i, j, k] = [peak % 20, Math.floor(peak / 20) % 12, Math.floor(peak / 240)];
    expect(i >= 2 && i < 6 && j >= 7 && j < 11 && k >= 20 && k < 26).toBe(true);
    expect(image.data[0]).toBe(0);
  });

  it('writes a float32 NIfTI that reads back with the scan geometry', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'voxlab-map-'));
    dirs.push(dir);
    const file = path.join(dir, 'map.nii.gz');
    const data = Float32Array.from({ length: 4 * 4 * 4 }, (_, v) => v / 64);
    const written = await writeMapOnScan(file, { shape: [4, 4, 4], data }, SCAN);
    const back = await readNifti(file);
    expect(back.shape).toEqual([10, 6, 14]);
    expect(back.header.datatype).toBe('float32');
    back.affine.forEach((v, i) => expect(v).toBeCloseTo(AFFINE[i]!, 5));
    expect(Array.from(back.data)).toEqual(Array.from(written.data));
  });

  it('rejects a map whose data does not match its shape', () => {
    expect(() => mapToScan({ shape: [4, 4, 4], data: new Float32Array(10) }, SCAN)).toThrow(
      expect.objectContaining({ code: 'BAD_ARGUMENT' }),
    );
  });
});
