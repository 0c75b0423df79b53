// Suite `dicom` (issue #11, must-show 3): converting the 176-slice Siemens MPRAGE of shared/data/dicom the way
// an import does (find the files, then dcm2niix's WebAssembly build in a worker thread: read, convert, send
// the NIfTI back) against the native dcm2niix on this machine (Debian's /usr/bin/dcm2niix, or DCM2NIIX), runs
// alternating so a busy machine slows both alike. Goal: at most 2x native. Memory: a synthetic 1,000-slice
// series (256x256, uint16: 131 MB of pixels) converted in a child process, its peak resident memory against
// the series' size (goal: bounded, a small multiple of the data, and converted at all).

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticSeries } from '../../core/dicom/testing/syntheticSeries.js';
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
  const memory = memoryCheck(ctx, 1000, 256, 256);
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
    ...memory,
  };
}

/** Converts a synthetic `slices`-slice series in a child process and reports its peak memory. */
function memoryCheck(ctx: BenchContext, slices: number, rows: number, columns: number): Record<string, unknown> {
  const dir = mkdtempSync(join(os.tmpdir(), 'voxlab-bench-dicom-mem-'));
  try {
    syntheticSeries({ slices, rows, columns, seed: 7 }).forEach((bytes, i) => writeFileSync(join(dir, `IM${String(i).padStart(5, '0')}.dcm`), bytes));
    ctx.log(`dicom: converting a synthetic ${slices}-slice ${rows}x${columns} series in a child process`);
    const child = join(dirname(fileURLToPath(import.meta.url)), 'dicomMemoryChild.js');
    const out = JSON.parse(execFileSync(process.execPath, [child, dir], { encoding: 'utf8' })) as Record<string, number>;
    const pixels = slices * rows * columns * 2;
    return {
      dicom_1000_slices_s: round(out.seconds!),
      dicom_1000_slices_pixel_mb: Math.round(pixels / 2 ** 20),
      dicom_1000_slices_peak_rss_mb: Math.round(out.peak_rss_mb!),
      dicom_1000_slices_rss_before_mb: Math.round(out.rss_before_mb!),
      dicom_1000_slices_peak_over_pixels: Math.round(((out.peak_rss_mb! - out.rss_before_mb!) / (pixels / 2 ** 20)) * 100) / 100,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(s: number): number {
  return Math.round(s * 10000) / 10000;
}
