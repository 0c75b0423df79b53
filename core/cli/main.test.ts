// The built `voxlab` CLI end to end: help, exit codes, one-line errors for bad input, and the commands'
// outputs checked against MONAI and nibabel references in shared/.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { readNifti } from '../io/readNifti.js';
import { SHARED } from './testing/nibabelReference.js';
import { runVoxlab } from './testing/runVoxlab.js';

const tmp = mkdtempSync(join(tmpdir(), 'voxlab-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const IXI012 = join(SHARED, 'data', 'ixi', 't1', 'IXI012-HH-1211_T1.nii.gz');

describe('voxlab CLI basics', () => {
  it('lists its commands and exits 0 for --help', async () => {
    const r = await runVoxlab(['--help']);
    expect(r.code).toBe(0);
    for (const name of ['info', 'convert', 'preprocess', 'import', 'export']) expect(r.stdout).toContain(`  ${name} `);
  });

  it.each(['info', 'convert', 'preprocess', 'import', 'export'])('%s --help shows its usage', async (name) => {
    const r = await runVoxlab([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: voxlab ${name} `));
  });

  const truncated = join(tmp, 'truncated.nii.gz');
  writeFileSync(truncated, readFileSync(IXI012).subarray(0, 20_000));
  const notNifti = join(tmp, 'notes.nii');
  writeFileSync(notNifti, 'this is not an image\n'.repeat(40));

  it.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['info'], /usage: voxlab info/],
    [['info', IXI012, '--bogus'], /Unknown option '--bogus'.*\[BAD_ARGUMENT\]/],
    [['info', join(tmp, 'missing.nii.gz')], /does not exist \[NOT_FOUND\]/],
    [['info', truncated], /\[NIFTI_(TRUNCATED|CORRUPT)\]/],
    [['info', notNifti], /\[NOT_NIFTI\]/],
    [['info', IXI012, '--frame', '3'], /volume 3 does not exist.*\[BAD_ARGUMENT\]/],
    [['preprocess', IXI012, join(tmp, 'x.nii.gz'), '--size', 'big'], /--size must be a whole number.*\[BAD_ARGUMENT\]/],
    [['convert', IXI012, join(tmp, 'x.nii.gz'), '--dtype', 'int64'], /--dtype must be one of uint8, int16, float32/],
    [['export', '--study', join(tmp, 'nostudy'), '--out', join(tmp, 'x.json')], /\[NOT_FOUND\]|\[STUDY_INVALID\]/],
  ])('bad input %j exits 2 with one clear line', async (args, message) => {
    const r = await runVoxlab(args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
  });
});

describe('voxlab preprocess', () => {
  it("writes MONAI's ScaleIntensity -> Resize(96) input for IXI012 (max abs diff <= 1e-5 vs input_96.f32)", async () => {
    const out = join(tmp, 'ixi012_96.nii.gz');
    const r = await runVoxlab(['preprocess', IXI012, out]);
    expect(r.code).toBe(0);
    const written = await readNifti(out);
    expect(written.shape).toEqual([96, 96, 96]);
    expect(written.header.datatype).toBe('float32');
    // input_96.f32 is C order [1, 1, 96, 96, 96] over (i, j, k); the NIfTI file is Fortran order.
    const ref = new Float32Array(readFileSync(join(SHARED, 'reference', 'monai', 'input_96.f32')).buffer.slice(0));
    let maxDiff = 0;
    for (let i = 0; i < 96; i++)
      for (let j = 0; j < 96; j++)
        for (let k = 0; k < 96; k++) {
          const d = Math.abs(written.data[i + 96 * (j + 96 * k)]! - ref[(i * 96 + j) * 96 + k]!);
          if (d > maxDiff) maxDiff = d;
        }
    expect(maxDiff).toBeLessThanOrEqual(1e-5);
    // The resized grid covers the same field of view: the centre of the volume stays in place.
    const source = await readNifti(IXI012);
    const centre = (a: readonly number[], n: readonly number[]): number[] =>
      [0, 1, 2].map((r) => [0, 1, 2].reduce((s, c) => s + a[r * 4 + c]! * (n[c]! - 1) / 2, a[r * 4 + 3]!));
    centre(written.affine, written.shape).forEach((v, d) => expect(v).toBeCloseTo(centre(source.affine, source.shape)[d]!, 4));
  });
});

describe('voxlab convert', () => {
  it('--canonical turns the six voxel orders of one brain into the same RAS image', async () => {
    const orders = ['AIL', 'IRA', 'LAS', 'PSR', 'RAS', 'SLP'];
    const images = [];
    for (const o of orders) {
      const out = join(tmp, `${o}_ras.nii.gz`);
      const r = await runVoxlab(['convert', join(SHARED, 'data', 'edge_cases', `niivue_nifti_space_${o}.nii.gz`), out, '--canonical']);
      expect(r.code).toBe(0);
      images.push(await readNifti(out));
    }
    for (const img of images) {
      expect(img.axcodes).toBe('RAS');
      expect(img.shape).toEqual(images[0]!.shape);
      expect(Buffer.compare(Buffer.from(img.data.buffer), Buffer.from(images[0]!.data.buffer))).toBe(0);
    }
  });

  it('--dtype int16 keeps scaled values within half a step of the slope', async () => {
    const input = join(SHARED, 'data', 'nifti', 'nibabel_functional.nii');
    const out = join(tmp, 'functional_int16.nii');
    expect((await runVoxlab(['convert', input, out, '--dtype', 'int16'])).code).toBe(0);
    const [a, b] = [await readNifti(input), await readNifti(out)];
    expect(b.header.datatype).toBe('int16');
    let maxDiff = 0;
    a.data.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - b.data[i]!))));
    expect(maxDiff).toBeLessThanOrEqual(b.header.sclSlope / 2 + 1e-3);
    a.affine.forEach((v, i) => expect(b.affine[i]).toBeCloseTo(v, 4));
  });
});

describe('voxlab import and export', () => {
  it('imports the 100 IXI scans with their sex labels and exports a MONAI datalist', async () => {
    const study = join(tmp, 'ixi-study');
    const r = await runVoxlab(['import', join(SHARED, 'data', 'ixi'), '--labels', join(SHARED, 'data', 'ixi', 'labels.csv'), '--study', study, '--json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { imported: { label: string }[]; skipped: unknown[]; missingFiles: unknown[] };
    expect(result.imported).toHaveLength(100);
    expect(result.imported.filter((x) => x.label === 'M')).toHaveLength(50);
    expect(result.skipped).toEqual([]);
    expect(result.missingFiles).toEqual([]);
    const out = join(tmp, 'datalist.json');
    expect((await runVoxlab(['export', '--study', study, '--out', out])).code).toBe(0);
    const list = JSON.parse(readFileSync(out, 'utf8')) as { training: { image: string; label: number }[] };
    expect(list.training).toHaveLength(100);
    expect(new Set(list.training.map((t) => t.label))).toEqual(new Set([0, 1]));
    const csv = join(tmp, 'labels.csv');
    expect((await runVoxlab(['export', '--study', study, '--out', csv, '--format', 'csv'])).code).toBe(0);
    expect(readFileSync(csv, 'utf8').trim().split('\n')).toHaveLength(101);
  });
});
