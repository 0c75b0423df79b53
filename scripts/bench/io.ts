// Suite `io`: load and preprocess (ScaleIntensity → Resize 96³) the first 20 shared IXI scans, sorted
// by name: the same work as MONAI's `load_pre_20_ixi_s` in shared/reference/monai_cpu_timings.json.
// Goal: at most 0.5x MONAI's time. Timed serially and on a PreprocessPool with one worker per core.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readNifti } from '../../core/io/readNifti.js';
import { PreprocessPool } from '../../core/loader/preprocessPool.js';
import { seedPreprocess } from '../../core/transforms/seedPreprocess.js';
import { median, ratio, sharedDir, timeRuns, type BenchContext } from './context.js';

const RUNS = 5;
const SIZE = 96;

/**
 * Keys: `load_pre_20_ixi_s` (the headline, compared with MONAI) is the pool with `workers` threads
 * (os.availableParallelism()); `load_pre_20_ixi_serial_s` the same work on this thread; `pool_start_s`
 * the pool's start-up (threads loading their modules), which the timed runs exclude, as MONAI's figure
 * excludes starting Python. Each figure is the median of RUNS runs after one warm-up run; serial and
 * pool runs alternate (timeAlternating) so that a busy shared machine slows both alike.
 */
export async function ioSuite(ctx: BenchContext): Promise<Record<string, unknown>> {
  const dir = join(sharedDir(), 'data', 'ixi', 't1');
  const files = readdirSync(dir).filter((f) => f.endsWith('.nii.gz')).sort().slice(0, 20).map((f) => join(dir, f));
  if (files.length < 20) throw new Error(`bench io: need 20 IXI scans in ${dir}, found ${files.length}`);
  ctx.log(`io: ${files.length} files, ${RUNS} runs after a warm-up`);
  const loadRuns = await timeRuns(RUNS, async () => {
    for (const f of files) await readNifti(f);
  });
  const serial = async (): Promise<void> => {
    for (const f of files) seedPreprocess(await readNifti(f), SIZE);
  };
  const t0 = process.hrtime.bigint();
  const pool = new PreprocessPool({ size: SIZE });
  let runs: { serial: number[]; pool: number[] };
  let poolStart: number;
  try {
    await pool.ready();
    poolStart = Number(process.hrtime.bigint() - t0) / 1e9;
    ctx.log(`io: pool of ${pool.workers} worker thread(s) (${pool.mode}) started in ${round(poolStart)} s`);
    runs = await timeAlternating(RUNS, { serial, pool: async () => void (await pool.loadMany(files)) });
  } finally {
    await pool.close();
  }
  const { serial: serialRuns, pool: poolRuns } = runs;
  const loadPre = median(poolRuns);
  const serialMedian = median(serialRuns);
  const load = median(loadRuns);
  return {
    load_pre_20_ixi_s: round(loadPre),
    load_pre_20_ixi_runs_s: poolRuns.map(round),
    load_pre_20_ixi_vs_monai: ratio(loadPre, ctx.reference.load_pre_20_ixi_s),
    load_pre_20_ixi_goal_vs_monai: 0.5,
    workers: pool.workers,
    pool_start_s: round(poolStart),
    load_pre_20_ixi_serial_s: round(serialMedian),
    load_pre_20_ixi_serial_runs_s: serialRuns.map(round),
    load_pre_20_ixi_serial_vs_monai: ratio(serialMedian, ctx.reference.load_pre_20_ixi_s),
    load_20_ixi_s: round(load),
    load_20_ixi_vs_nibabel: ratio(load, ctx.reference.nibabel_load_20_ixi_s),
  };
}

/**
 * Like timeRuns for several functions, but round-robin (one warm-up round, then `runs` rounds, each
 * running every function once), so that load from other processes on a shared machine falls on all of
 * them alike instead of on whichever ran last. Seconds per run, by function name.
 */
async function timeAlternating<K extends string>(
  runs: number,
  fns: Record<K, () => Promise<void>>,
): Promise<Record<K, number[]>> {
  const names = Object.keys(fns) as K[];
  const out = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let r = -1; r < runs; r++) {
    for (const name of names) {
      const t0 = process.hrtime.bigint();
      await fns[name]();
      if (r >= 0) out[name].push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
  }
  return out;
}

function round(s: number): number {
  return Math.round(s * 10000) / 10000;
}
