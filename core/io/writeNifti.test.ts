// writeNifti / encodeNifti: round trips through readNifti, the header fields written (codes, qform as
// nibabel's set_qform gives it, intent, description), shear kept in the sform only, bad arguments, and
// atomic replacement of the target file.

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { closestRotation } from '../common/orientation.js';
import { toAffine, type Affine } from '../common/spaces.js';
import { qformFromAffine } from './encodeNifti.js';
import { matToQuat, quatToMat } from './niftiAffine.js';
import { readNifti, readNiftiBuffer } from './readNifti.js';
import { encodeNifti, writeNifti, type NiftiImage } from './writeNifti.js';

const shape = [5, 4, 3] as const;
const N = 60;
/** An oblique, left-handed affine with float32-exact entries (so the sform round trip is exact). */
const OBLIQUE = toAffine([-1.75, 0.25, 0, 80, 0.125, 2, -0.5, -100, 0, 0.5, 2.5, -60.5, 0, 0, 0, 1]);
const SHEARED = toAffine([2, 0, 30, -123.5, 0, 2, 30, -102.75, 0, 0, 32, -38.75, 0, 0, 0, 1]);

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'voxlab-write-'));
}

const IMAGES: [string, NiftiImage, { intent?: 'label' | 'map' }, string, number][] = [
  [
    'labels.nii.gz',
    { shape, affine: OBLIQUE, data: Uint8Array.from({ length: N }, (_, i) => i % 4) },
    { intent: 'label' },
    'uint8',
    1002,
  ],
  [
    'scan.nii',
    { shape, affine: OBLIQUE, data: Int16Array.from({ length: N }, (_, i) => i * 300 - 9000) },
    {},
    'int16',
    0,
  ],
  [
    'map.nii.gz',
    { shape, affine: SHEARED, data: Float32Array.from({ length: N }, (_, i) => Math.sin(i) * 1e3) },
    { intent: 'map' },
    'float32',
    1001,
  ],
];

describe('writeNifti round trip', () => {
  it.each(IMAGES)(
    '%s reads back identical data and affine',
    async (file, image, options, datatype, intent) => {
      const path = join(tempDir(), file);
      await writeNifti(path, image, { ...options, description: 'voxlab test' });
      const volume = await readNifti(path);
      expect(volume.shape).toEqual(image.shape);
      expect(Array.from(volume.data)).toEqual(Array.from(image.data, (v) => Math.fround(v)));
      expect([...volume.affine]).toEqual([...image.affine]);
      expect(volume.header).toMatchObject({
        datatype,
        sformCode: 2,
        qformCode: 1,
        sclSlope: 1,
        sclInter: 0,
        description: 'voxlab test',
        spatialUnits: 'mm',
      });
      const raw = readFileSync(path);
      expect(raw[0] === 0x1f).toBe(file.endsWith('.gz'));
      const bytes = file.endsWith('.gz') ? gunzipSync(raw) : raw;
      const view = new DataView(bytes.buffer, bytes.byteOffset, 352);
      expect([view.getInt16(68, true), view.getFloat32(108, true), bytes.length]).toEqual([
        intent,
        352,
        352 + image.data.byteLength,
      ]);
    },
  );

  it('keeps shear in the sform and writes the closest rotation to the qform', () => {
    const bytes = encodeNifti({ shape, affine: SHEARED, data: new Float32Array(N) }, { compress: false });
    const view = new DataView(bytes.buffer);
    view.setInt16(254, 0, true); // hide the sform: the reader then uses the qform
    const qform = readNiftiBuffer(bytes).affine;
    const zooms = [0, 1, 2].map((c) => Math.hypot(SHEARED[c]!, SHEARED[4 + c]!, SHEARED[8 + c]!));
    const rotation = closestRotation(
      [0, 1, 2].map((r) => [0, 1, 2].map((c) => SHEARED[r * 4 + c]! / zooms[c]!)),
    );
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) expect(qform[r * 4 + c]!).toBeCloseTo(rotation[r]![c]! * zooms[c]!, 4);
      expect(qform[r * 4 + 3]).toBe(SHEARED[r * 4 + 3]);
    }
  });

  it('writes an LAS affine as nibabel does: qfac -1, quaternion (0, 1, 0)', () => {
    const affine = toAffine([-2, 0, 0, 90, 0, 2, 0, -126, 0, 0, 2, -72, 0, 0, 0, 1]);
    const q = qformFromAffine(affine);
    expect(q.qfac).toBe(-1);
    expect(q.zooms).toEqual([2, 2, 2]);
    q.quatern.forEach((v, n) => expect(v).toBeCloseTo([0, 1, 0][n]!, 12));
  });

  it.each([0.1, 1.3, 2.9, 3.1])('matToQuat inverts quatToMat (angle %f)', (angle) => {
    const axis = [0.3, -0.5, Math.sqrt(1 - 0.34)];
    const q: [number, number, number, number] = [
      Math.cos(angle / 2),
      ...axis.map((a) => a * Math.sin(angle / 2)),
    ] as [number, number, number, number];
    matToQuat(quatToMat(q)).forEach((v, n) => expect(v).toBeCloseTo(q[n]!, 12));
  });
});

const BAD: [string, string, NiftiImage, { intent?: 'label' | 'map' }][] = [
  ['a name without .nii', 'x.img', { shape, affine: OBLIQUE, data: new Uint8Array(N) }, {}],
  ['a data length that does not fit', 'x.nii', { shape, affine: OBLIQUE, data: new Uint8Array(N - 1) }, {}],
  [
    'a fractional shape',
    'x.nii',
    { shape: [5, 4, 2.5] as unknown as [number, number, number], affine: OBLIQUE, data: new Uint8Array(50) },
    {},
  ],
  ['float labels', 'x.nii', { shape, affine: OBLIQUE, data: new Float32Array(N) }, { intent: 'label' }],
  ['a map of bytes', 'x.nii', { shape, affine: OBLIQUE, data: new Uint8Array(N) }, { intent: 'map' }],
  [
    'a NaN affine',
    'x.nii',
    { shape, affine: toAffine([NaN, ...OBLIQUE.slice(1)]) as Affine, data: new Uint8Array(N) },
    {},
  ],
  [
    'a singular affine',
    'x.nii',
    { shape, affine: toAffine([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), data: new Uint8Array(N) },
    {},
  ],
];

describe('writeNifti refuses bad input', () => {
  it.each(BAD)('%s', async (_label, file, image, options) => {
    const dir = tempDir();
    await expect(writeNifti(join(dir, file), image, options)).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('writeNifti is atomic', () => {
  it('replaces an existing file and leaves no temp file', async () => {
    const dir = tempDir();
    const path = join(dir, 'labels.nii.gz');
    writeFileSync(path, 'old content');
    await writeNifti(path, IMAGES[0]![1], { intent: 'label' });
    expect(readdirSync(dir)).toEqual(['labels.nii.gz']);
    expect((await readNifti(path)).data[3]).toBe(3);
  });

  it('fails with IO_ERROR in a missing folder and leaves nothing behind', async () => {
    const dir = tempDir();
    await expect(writeNifti(join(dir, 'missing', 'a.nii.gz'), IMAGES[0]![1])).rejects.toMatchObject({
      code: 'IO_ERROR',
    });
    expect(readdirSync(dir)).toEqual([]);
  });
});
