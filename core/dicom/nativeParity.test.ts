// Issue #11, must-show 1 on ../shared/data/dicom: our engine (dcm2niix's WASM build) against the native
// dcm2niix installed on this machine (Debian's package: `.ci/run` installs it), run by the test on the same
// folders: every series it writes, we write with the same name, shape, affine (<= 1e-3 mm) and voxels
// (<= 1e-4 relative).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readNifti, readNiftiHeader } from '../io/readNifti.js';
import { readNiftiBuffer } from '../io/readNiftiBuffer.js';
import { convertDicomFiles } from './dcm2niix.js';
import { findDicomFiles } from './findDicomFiles.js';

const DICOM = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'dicom');
const NATIVE = process.env.DCM2NIIX ?? '/usr/bin/dcm2niix';
const temp: string[] = [];
afterAll(() => temp.forEach((d) => rmSync(d, { recursive: true, force: true })));

const folders = readdirSync(DICOM).filter((f) => statSync(path.join(DICOM, f)).isDirectory());

describe('dcm2niix (WASM) against the native dcm2niix on shared/data/dicom', () => {
  it('has the native dcm2niix to compare with (apt-get install dcm2niix)', () => {
    expect(existsSync(NATIVE), `${NATIVE} is missing`).toBe(true);
  });

  it.each(folders)('%s', async (folder) => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'voxlab-native-dcm2niix-'));
    temp.push(out);
    const run = spawnSync(NATIVE, ['-z', 'n', '-f', '%s_%d', '-o', out, path.join(DICOM, folder)], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const theirs = readdirSync(out).filter((f) => f.endsWith('.nii')).sort();
    expect(theirs.length).toBeGreaterThan(0);
    const { series } = await convertDicomFiles((await findDicomFiles(path.join(DICOM, folder))).files);
    const ours = new Map(series.map((s) => [`${s.name}.nii`, s]));
    for (const name of theirs) {
      const mine = ours.get(name);
      expect(mine, `${name} not produced; ours: ${[...ours.keys()].join(', ')}`).toBeDefined();
      const { frames } = await readNiftiHeader(path.join(out, name));
      for (const frame of new Set([0, frames - 1])) {
        const want = await readNifti(path.join(out, name), { frame });
        const got = readNiftiBuffer(mine!.nifti, { frame, name });
        expect(got.shape, name).toEqual(want.shape);
        got.affine.forEach((v, i) => expect(Math.abs(v - want.affine[i]!), `${name} affine[${i}]`).toBeLessThanOrEqual(1e-3));
        let worst = 0;
        for (let i = 0; i < want.data.length; i++) worst = Math.max(worst, Math.abs(got.data[i]! - want.data[i]!) / Math.max(1, Math.abs(want.data[i]!)));
        expect(worst, `${name} frame ${frame}`).toBeLessThanOrEqual(1e-4);
      }
    }
  }, 120_000);
});
