// Compares readNifti with what nibabel 5.0 reads from every file in shared/reference/nifti_nibabel.json:
// header facts, affine, axcodes, scaling, stats of the first volume (nibabel's reference stats cover
// frame 0 of 4D files) and sample voxel values.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isVoxlabError } from '../common/errors.js';
import { niftiFiles, readNifti, readNiftiHeader } from './readNifti.js';
import type { Volume } from './types.js';

const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
const DATA = `${SHARED}data/`;

interface Reference {
  volume: boolean;
  nifti_version: number;
  shape: number[];
  datatype: string;
  endianness: string;
  pixdim: number[];
  sform_code: number;
  qform_code: number;
  affine: number[][];
  axcodes: string;
  scl_slope: number;
  scl_inter: number;
  stats: { min: number; max: number; mean: number; std: number };
  samples: { ijk: number[]; value: number }[];
}

const REFERENCE = JSON.parse(readFileSync(`${SHARED}reference/nifti_nibabel.json`, 'utf8')) as Record<
  string,
  Reference
>;
const KEYS = Object.keys(REFERENCE);
const VOLUME_KEYS = KEYS.filter((k) => REFERENCE[k]!.volume && !k.startsWith('ixi/'));
const IXI_KEYS = KEYS.filter((k) => k.startsWith('ixi/'));

/** Population statistics in float64, as numpy's min/max/mean/std. */
function stats(data: Float32Array): Reference['stats'] {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const mean = sum / data.length;
  let sq = 0;
  for (let i = 0; i < data.length; i++) sq += (data[i]! - mean) ** 2;
  return { min, max, mean, std: Math.sqrt(sq / data.length) };
}

function expectRel(actual: number, expected: number, rel = 1e-4): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(Math.abs(expected), 1e-6));
}

async function expectMatches(key: string, volume: Volume): Promise<void> {
  const ref = REFERENCE[key]!;
  const h = volume.header;
  expect(h.shape).toEqual(ref.shape);
  expect([h.datatype, h.endianness, h.niftiVersion]).toEqual([
    ref.datatype,
    ref.endianness,
    ref.nifti_version,
  ]);
  h.pixdim.forEach((p, n) => expectRel(p, ref.pixdim[n]!, 1e-6));
  expect([h.sformCode, h.qformCode]).toEqual([ref.sform_code, ref.qform_code]);
  ref.affine.flat().forEach((v, n) => expect(Math.abs(volume.affine[n]! - v)).toBeLessThan(1e-4));
  expect(volume.axcodes).toBe(ref.axcodes);
  expectRel(h.sclSlope, ref.scl_slope, 1e-7);
  expectRel(h.sclInter, ref.scl_inter, 1e-7);
  const s = stats(volume.data);
  for (const stat of ['min', 'max', 'mean', 'std'] as const) expectRel(s[stat], ref.stats[stat]);
  const [nx, ny] = volume.shape;
  for (const { ijk, value } of ref.samples) {
    const [i, j, k, t = 0] = ijk as [number, number, number, number?];
    const frame = t === volume.frame ? volume : await readNifti(`${DATA}${key}`, { frame: t });
    expectRel(frame.data[i + nx * (j + ny * k)]!, value);
  }
}

describe('readNifti against nibabel 5.0', () => {
  it('the reference lists every shared NIfTI file', () => {
    expect(KEYS).toHaveLength(128);
    expect(IXI_KEYS).toHaveLength(100);
  });

  it.each(VOLUME_KEYS)('%s', async (key) => {
    const volume = await readNifti(`${DATA}${key}`);
    await expectMatches(key, volume);
    expect(volume.data).toHaveLength(volume.shape[0] * volume.shape[1] * volume.shape[2]);
  });

  it('reads all 100 IXI scans like nibabel', async () => {
    for (const key of IXI_KEYS) await expectMatches(key, await readNifti(`${DATA}${key}`));
  });

  it.each(KEYS.filter((k) => !REFERENCE[k]!.volume))('refuses %s as NOT_A_VOLUME', async (key) => {
    const error = await readNifti(`${DATA}${key}`).catch((e: unknown) => e);
    expect(isVoxlabError(error) && error.code).toBe('NOT_A_VOLUME');
    expect((error as Error).message).toMatch(/CIFTI.*not a 3D image/);
    await expect(readNiftiHeader(`${DATA}${key}`)).rejects.toMatchObject({ code: 'NOT_A_VOLUME' });
  });
});

describe('readNifti details', () => {
  it.each([
    [
      'nifti/nibabel_example4d.nii.gz',
      [
        { code: 6, size: 24 },
        { code: 6, size: 24 },
      ],
    ],
    ['nifti/niivue_MNI152_2009_template.nii.gz', [{ code: 4, size: 2936 }]],
    ['nifti/nibabel_functional.nii', []],
  ])('lists the header extensions of %s', async (key, extensions) => {
    expect((await readNifti(`${DATA}${key}`)).header.extensions).toEqual(extensions);
  });

  it.each([
    'nifti/nibabel_functional.nii',
    'nifti/nibabel_example_nifti2.nii.gz',
    'edge_cases/niivue_ras.hdr',
    'ixi/t1/IXI012-HH-1211_T1.nii.gz',
  ])('readNiftiHeader(%s) gives the same facts as a full read', async (key) => {
    const full = await readNifti(`${DATA}${key}`);
    const head = await readNiftiHeader(`${DATA}${key}`);
    expect(head.header).toEqual(full.header);
    expect([head.affine, head.axcodes, head.shape]).toEqual([full.affine, full.axcodes, full.shape]);
    expect(head.frames).toBe(full.header.shape[3] ?? 1);
  });

  it('reads each frame of a 4D file and refuses frames past the end', async () => {
    const path = `${DATA}nifti/nibabel_functional.nii`;
    const first = await readNifti(path);
    const last = await readNifti(path, { frame: 19 });
    expect(last.frame).toBe(19);
    expect(Buffer.from(last.data.buffer).equals(Buffer.from(first.data.buffer))).toBe(false);
    await expect(readNifti(path, { frame: 20 })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    await expect(readNifti(path, { frame: -1 })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });

  it('reads a .hdr/.img pair by either name', async () => {
    const byHdr = await readNifti(`${DATA}edge_cases/niivue_ras.hdr`);
    const byImg = await readNifti(`${DATA}edge_cases/niivue_ras.img`);
    expect(Buffer.from(byImg.data.buffer).equals(Buffer.from(byHdr.data.buffer))).toBe(true);
  });

  it.each([
    ['a/b.nii.gz', { header: 'a/b.nii.gz' }],
    ['a/b.hdr', { header: 'a/b.hdr', img: 'a/b.img' }],
    ['a/b.IMG', { header: 'a/b.HDR', img: 'a/b.IMG' }],
    ['a/b.hdr.gz', { header: 'a/b.hdr.gz', img: 'a/b.img.gz' }],
    ['a/b.img.gz', { header: 'a/b.hdr.gz', img: 'a/b.img.gz' }],
  ])('niftiFiles(%s)', (path, files) => {
    expect(niftiFiles(path)).toEqual(files);
  });

  it.each([
    ['nifti/does-not-exist.nii.gz', 'NOT_FOUND'],
    ['nifti', 'IO_ERROR'],
    ['MANIFEST.tsv', 'NOT_NIFTI'],
  ])('reading %s fails with %s', async (path, code) => {
    await expect(readNifti(`${DATA}${path}`)).rejects.toMatchObject({ code });
    await expect(readNiftiHeader(`${DATA}${path}`)).rejects.toMatchObject({ code });
  });

  it.each(['nifti/nibabel_functional.nii', 'nifti/dipy_aniso_vox.nii.gz'])(
    'finds %s truncated',
    async (key) => {
      const bytes = readFileSync(`${DATA}${key}`);
      const path = join(mkdtempSync(join(tmpdir(), 'voxlab-read-')), key.replace('/', '-'));
      writeFileSync(path, bytes.subarray(0, bytes.length - 100));
      await expect(readNifti(path)).rejects.toMatchObject({ code: 'NIFTI_TRUNCATED' });
      if (!key.endsWith('.gz'))
        await expect(readNiftiHeader(path)).rejects.toMatchObject({ code: 'NIFTI_TRUNCATED' });
    },
  );

  it('refuses a file over maxBytes before reading its voxels', async () => {
    await expect(readNifti(`${DATA}nifti/antspy_ch2.nii.gz`, { maxBytes: 1e6 })).rejects.toMatchObject({
      code: 'TOO_LARGE',
    });
  });
});
