// Suite `infer`: DenseNet121-3D (1 channel, 2 classes, seeded random weights) exported to ONNX by voxlab and
// run in onnxruntime-node (CPU, threads = cores): one 1x96³ volume and a batch of 10, compared with
// PyTorch's `infer_1x96_s` / `infer_10x96_s` in shared/reference/monai_cpu_timings.json. Goal: <= 1.0x.
// Also the CPU seconds of each (all threads) and the fastest run, which a busy shared machine inflates
// least (other sessions' tests share our 2 cores: the median then measures them as much as us).

import { loadavg } from 'node:os';
import { SeededRandom } from '../../core/common/random.js';
import { exportOnnx, initialStateDict, openOrtClassifier } from '../../core/infer/index.js';
import { describeDenseNet } from '../../core/model/index.js';
import { median, ratio, timeRuns, type BenchContext } from './context.js';

const SINGLE_RUNS = 7;
const BATCH_RUNS = 3;
const SIZE = 96;

export async function inferSuite(ctx: BenchContext): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const description = describeDenseNet({}, [SIZE, SIZE, SIZE]);
  const onnx = exportOnnx(description, initialStateDict(description, 0));
  const exportS = (performance.now() - t0) / 1000;
  const classifier = await openOrtClassifier(onnx, {
    provider: process.env.VOXLAB_ORT_PROVIDER ?? 'auto',
    maxBatch: 10,
  });
  ctx.log(
    `infer: ${classifier.engine}, model ${(onnx.byteLength / 2 ** 20).toFixed(1)} MB exported in ${exportS.toFixed(2)} s`,
  );
  const r = new SeededRandom(1);
  const per = SIZE ** 3;
  const x10 = Float32Array.from({ length: 10 * per }, () => r.next());
  const x1 = x10.subarray(0, per);
  try {
    const cpu1: number[] = [];
    const cpu10: number[] = [];
    const single = await timeRuns(SINGLE_RUNS, () => cpuTimed(cpu1, () => classifier.predict(x1, 1)));
    ctx.log(`infer: 1x96 ${single.map((s) => s.toFixed(3)).join(', ')} s`);
    const batch = await timeRuns(BATCH_RUNS, () => cpuTimed(cpu10, () => classifier.predict(x10, 10)));
    ctx.log(`infer: 10x96 ${batch.map((s) => s.toFixed(3)).join(', ')} s`);
    const one = median(single);
    const ten = median(batch);
    // timeRuns warms up once: drop the warm-up's CPU time.
    const cpuOne = median(cpu1.slice(1));
    const cpuTen = median(cpu10.slice(1));
    return {
      engine: classifier.engine,
      infer_1x96_s: round(one),
      infer_1x96_runs_s: single.map(round),
      infer_1x96_vs_pytorch: ratio(one, ctx.reference.infer_1x96_s),
      infer_1x96_vs_monai_onnx_in_ort: ratio(one, ctx.reference.onnxruntime_node_infer_1x96_s),
      infer_1x96_cpu_s: round(cpuOne),
      infer_1x96_min_s: round(Math.min(...single)),
      infer_1x96_min_vs_pytorch: ratio(Math.min(...single), ctx.reference.infer_1x96_s),
      infer_10x96_s: round(ten),
      infer_10x96_runs_s: batch.map(round),
      infer_10x96_vs_pytorch: ratio(ten, ctx.reference.infer_10x96_s),
      infer_10x96_cpu_s: round(cpuTen),
      infer_10x96_min_s: round(Math.min(...batch)),
      infer_10x96_min_vs_pytorch: ratio(Math.min(...batch), ctx.reference.infer_10x96_s),
      goal_vs_pytorch: 1.0,
      export_s: round(exportS),
      load_average_1m: round(loadavg()[0]!),
    };
  } finally {
    await classifier.dispose();
  }
}

/**
 * Runs `fn` and appends the process CPU seconds it took (all threads). On a machine shared with other
 * work, wall time stretches while CPU time does not: on an idle machine wall ≈ CPU / threads.
 */
async function cpuTimed(into: number[], fn: () => Promise<unknown>): Promise<void> {
  const start = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(start);
  into.push((used.user + used.system) / 1e6);
}

function round(s: number): number {
  return Math.round(s * 1000) / 1000;
}
