// Suite `train`: DenseNet121-3D (1 channel, 2 classes) on the best available tfjs backend: one eval
// forward of a 1x96³ volume and one Adam training step (CrossEntropy) on a 2x96³ batch, compared with
// PyTorch's `infer_1x96_s` and `train_step_b2_s` in shared/reference/monai_cpu_timings.json.
// Goals on wasm: forward <= 2.0x PyTorch, train step <= 3.0x PyTorch, peak RSS <= 6 GB.

import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../core/backend/index.js';
import { createDenseNet } from '../../core/model/index.js';
import { Adam, createTrainStep, evaluateBatch, namedParameters } from '../../core/train/engine/index.js';
import { peakRssMb } from '../../core/train/index.js';
import { median, ratio, type BenchContext } from './context.js';

const FORWARD_RUNS = 3;
const STEP_RUNS = 2;

async function seconds(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export async function trainSuite(ctx: BenchContext): Promise<Record<string, unknown>> {
  const report = await initBackend({ prefer: (process.env.VOXLAB_BACKEND as 'wasm' | 'cpu' | undefined) ?? 'auto' });
  ctx.log(`train: backend ${report.backend}, ${report.threads} thread(s)`);
  const model = createDenseNet({}, { seed: 0, inputSize: [96, 96, 96] });
  const x1 = tf.randomUniform([1, 96, 96, 96, 1], 0, 1, 'float32', 1) as tf.Tensor5D;
  const x2 = tf.randomUniform([2, 96, 96, 96, 1], 0, 1, 'float32', 2) as tf.Tensor5D;
  try {
    const forward: number[] = [];
    evaluateBatch(model, x1); // warm-up: kernels, weight packing
    for (let r = 0; r < FORWARD_RUNS; r++) forward.push(await seconds(() => evaluateBatch(model, x1)));
    ctx.log(`train: forward ${forward.map((s) => s.toFixed(2)).join(', ')} s`);
    const step = createTrainStep(model, { optimizer: new Adam(namedParameters(model), { lr: 1e-5 }) });
    const labels = Int32Array.from([0, 1]);
    const steps: number[] = [];
    await step(x2, labels); // warm-up
    for (let r = 0; r < STEP_RUNS; r++) steps.push(await seconds(() => step(x2, labels)));
    ctx.log(`train: step ${steps.map((s) => s.toFixed(2)).join(', ')} s`);
    const fwd = median(forward);
    const stp = median(steps);
    return {
      backend: report.backend,
      threads: report.threads,
      forward_1x96_s: round(fwd),
      forward_1x96_runs_s: forward.map(round),
      forward_1x96_vs_pytorch: ratio(fwd, ctx.reference.infer_1x96_s),
      forward_goal_vs_pytorch: 2.0,
      train_step_b2_s: round(stp),
      train_step_b2_runs_s: steps.map(round),
      train_step_b2_vs_pytorch: ratio(stp, ctx.reference.train_step_b2_s),
      train_step_goal_vs_pytorch: 3.0,
      peak_rss_mb: peakRssMb(),
      peak_rss_goal_mb: 6144,
    };
  } finally {
    tf.dispose([x1, x2]);
    model.dispose();
  }
}

function round(s: number): number {
  return Math.round(s * 1000) / 1000;
}
