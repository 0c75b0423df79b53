// DICOM conversion in a worker thread, as imports run it (the compiled worker only exists under dist/, so
// the test builds it): same result as in-thread, typed errors cross the thread, cancel stops at once.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../datastore/testing/fixtures.js';
import { buildChild } from '../datastore/testing/buildChild.js';
import { tempFolders } from '../train/testing/tinyStudy.js';
import { convertDicom } from './convertInWorker.js';
import { convertDicomFiles } from './dcm2niix.js';
import { findDicomFiles } from './findDicomFiles.js';

const folders = tempFolders();
const MPRAGE = path.join(REPO_ROOT, '..', 'shared', 'data', 'dicom', 'trio_b17_t1_mprage');
let url: URL;
let files: string[];

beforeAll(async () => {
  url = pathToFileURL(buildChild(path.join(REPO_ROOT, 'core/dicom/convertWorker.ts'), REPO_ROOT, folders.make('voxlab-cw-build-')));
  files = (await findDicomFiles(MPRAGE)).files;
}, 120_000);
afterAll(() => folders.cleanup());

describe('convertDicom in a worker thread', () => {
  it('gives the same series, NIfTI bytes and provenance as converting in this thread', async () => {
    const [inWorker, here] = await Promise.all([convertDicom({ files }, { url }), convertDicomFiles(files)]);
    expect(inWorker.series.map((s) => s.name)).toEqual(here.series.map((s) => s.name));
    expect(inWorker.series[0]!.nifti.length).toBeGreaterThan(1_000_000);
    expect(Buffer.from(inWorker.series[0]!.nifti).equals(Buffer.from(here.series[0]!.nifti))).toBe(true);
    expect(inWorker.series[0]!.provenance).toEqual(here.series[0]!.provenance);
  }, 60_000);

  it('converts bytes as well as files', async () => {
    const inputs = files.slice(0, 20).map((f, i) => ({ name: `f${i}`, bytes: new Uint8Array(readFileSync(f)) }));
    const r = await convertDicom({ inputs }, { url });
    expect(r.series).toHaveLength(1);
  }, 60_000);

  it('brings a typed error back across the thread', async () => {
    await expect(convertDicom({ inputs: [{ name: 'x', bytes: new Uint8Array(300).fill(1) }] }, { url })).rejects.toMatchObject({ code: 'NOT_A_VOLUME' });
  }, 60_000);

  it('stops at once when cancelled, with CANCELLED', async () => {
    const controller = new AbortController();
    const t0 = Date.now();
    const p = convertDicom({ files }, { url, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(Date.now() - t0).toBeLessThan(2000);
  }, 60_000);
});
