// Suite `dicom` (issue #11, must-show 3): converting the 176-slice Siemens MPRAGE of shared/data/dicom the way
// an import does (find the files, then dcm2niix's WebAssembly build in a worker thread: read, convert, send
// the NIfTI back) against the native dcm2niix on this machine (Debian's /usr/bin/dcm2niix, or DCM2NIIX), runs
// alternating so a busy machine slows both alike. Goal: at most 2x native.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { convertDicom } from '../../core/dicom/convertInWorker.js';
import { findDicomFiles } from '../../core/dicom/findDicomFiles.js';
import { median, sharedDir, type BenchContext } from './context.js';

const RUNS = 5;

export async function dicomSuite(ctx: BenchContext): Promise<Record<string, unknown>> {
  const dir = join(sharedDir(), 'data', 'dicom', 'trio_b17_t1_mprage');
  const native = process.env.DCM2NIIX ?? '/usr/bin/dcm2niix';
  const hasNative = existsSync(native);
  if (!hasNative) ctx.log(`dicom: no native dcm2niix at ${native} (apt-get install dcm2niix): timing ours only`);
  const out = mkdtempSync(join(os.tmpdir(), 'voxlab-bench-dicom-'));
  const ours: number[] = [];
  const theirs: number[] = [];
  let bytes = 0;
  try {
    for (let r = -1; r < RUNS; r++) {
      let t0 = process.hrtime.bigint();
      const { files } = await findDicomFiles(dir);
      const { series } = await convertDicom({ files });
      if (r >= 0) ours.push(Number(process.hrtime.bigint() - t0) / 1e9);
      bytes = series.reduce((s, x) => s + x.nifti.length, 0);
      if (!hasNative) continue;
      t0 = process.hrtime.bigint();
      const run = spawnSync(native, ['-z', 'n', '-f', '%s_%d', '-o', out, dir], { stdio: 'ignore' });
      if (run.status !== 0) throw new Error(`bench dicom: ${native} exited with ${run.status}`);
      if (r >= 0) theirs.push(Number(process.hrtime.bigint() - t0) / 1e9);
      for (const f of readdirSync(out)) rmSync(join(out, f), { force: true });
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const o = median(ours);
  const n = hasNative ? median(theirs) : null;
  return {
    dicom_mprage_176_s: round(o),
    dicom_mprage_176_runs_s: ours.map(round),
    native_dcm2niix_s: n === null ? null : round(n),
    native_dcm2niix_runs_s: theirs.map(round),
    vs_native: n === null ? null : Math.round((o / n) * 1000) / 1000,
    goal_vs_native: 2,
    nifti_bytes: bytes,
  };
}

function round(s: number): number {
  return Math.round(s * 10000) / 10000;
}
