// Suite `io`: load and preprocess (ScaleIntensity → Resize 96³) the first 20 shared IXI scans, sorted
// by name: the same work as MONAI's `load_pre_20_ixi_s` in shared/reference/monai_cpu_timings.json.
// Goal: at most 0.5x MONAI's time.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readNifti } from '../../core/io/readNifti.js';
import { seedPreprocess } from '../../core/transforms/seedPreprocess.js';
import { median, ratio, sharedDir, timeRuns, type BenchContext } from './context.js';

const RUNS = 5;

export async function ioSuite(ctx: BenchContext): Promise<Record<string, unknown>> {
  const dir = join(sharedDir(), 'data', 'ixi', 't1');
  const files = readdirSync(dir).filter((f) => f.endsWith('.nii.gz')).sort().slice(0, 20).map((f) => join(dir, f));
  if (files.length < 20) throw new Error(`bench io: need 20 IXI scans in ${dir}, found ${files.length}`);
  ctx.log(`io: ${files.length} files, ${RUNS} runs after a warm-up`);
  const loadRuns = await timeRuns(RUNS, async () => {
    for (const f of files) await readNifti(f);
  });
  const pipelineRuns = await timeRuns(RUNS, async () => {
    for (const f of files) seedPreprocess(await readNifti(f), 96);
  });
  const loadPre = median(pipelineRuns);
  const load = median(loadRuns);
  return {
    load_pre_20_ixi_s: round(loadPre),
    load_pre_20_ixi_runs_s: pipelineRuns.map(round),
    load_pre_20_ixi_vs_monai: ratio(loadPre, ctx.reference.load_pre_20_ixi_s),
    load_pre_20_ixi_goal_vs_monai: 0.5,
    load_20_ixi_s: round(load),
    load_20_ixi_vs_nibabel: ratio(load, ctx.reference.nibabel_load_20_ixi_s),
  };
}

function round(s: number): number {
  return Math.round(s * 10000) / 10000;
}
