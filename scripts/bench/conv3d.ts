// Suite `conv3d`: GFLOP/s of our wasm Conv3D kernels (forward, input gradient, filter gradient) on the
// DenseNet121-3D shapes of a batch-2 training step at 96³ (issue #3, "Backends"). For comparison the
// machine peaks near 166 GFLOP/s fp32 and PyTorch reaches ~87 on the whole network
// (shared/notes/ENVIRONMENT.md). Layouts: x [N, D, H, W, Ci] (NDHWC), filter [kd, kh, kw, Ci, Co].

import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { conv3dFlops, conv3dGeometry } from '../../core/backend/conv3dGeometry.js';
import { initBackend } from '../../core/backend/selectBackend.js';
import { useShiftedFilterGrad } from '../../core/backend/shiftedFilterGrad.js';
import { median, timeRuns, type BenchContext } from './context.js';

const RUNS = 5;

interface Shape {
  readonly name: string;
  readonly batch: number;
  readonly size: number;
  readonly inC: number;
  readonly outC: number;
  readonly k: number;
  readonly stride: number;
}

/** The convolutions of DenseNet121-3D at 96³: stem, dense-layer 3³ and 1³ convs, a transition. */
const SHAPES: readonly Shape[] = [
  { name: 'stem_k7s2_1to64_96', batch: 2, size: 96, inC: 1, outC: 64, k: 7, stride: 2 },
  { name: 'dense_k3_128to32_24', batch: 2, size: 24, inC: 128, outC: 32, k: 3, stride: 1 },
  { name: 'dense_k3_128to32_12', batch: 2, size: 12, inC: 128, outC: 32, k: 3, stride: 1 },
  { name: 'dense_k3_128to32_6', batch: 2, size: 6, inC: 128, outC: 32, k: 3, stride: 1 },
  { name: 'bottleneck_k1_256to128_24', batch: 2, size: 24, inC: 256, outC: 128, k: 1, stride: 1 },
  { name: 'bottleneck_k1_512to128_12', batch: 2, size: 12, inC: 512, outC: 128, k: 1, stride: 1 },
  { name: 'transition_k1_256to128_24', batch: 2, size: 24, inC: 256, outC: 128, k: 1, stride: 1 },
];

/**
 * Keys: `backend`, `threads` (the wasm pool), `loadavg_1m_before`/`_after` (the machine is shared:
 * a load above the core count means other work took part of it), `xnnpack_conv2d_ref_gflops` (a
 * plain XNNPACK conv2d of the same GEMM as the 24³ dense layer: what the machine gave at that
 * moment, the ceiling for our kernels), and per shape `<name>`: { gflop, forward_gflops,
 * input_grad_gflops, filter_grad_gflops, the median seconds of each, and filter_grad_path: 'shifted'
 * (shiftedFilterGrad.ts), 'pointwise' or 'correlation' }. Each figure is the median of RUNS runs after
 * one warm-up run.
 */
export async function conv3dSuite(ctx: BenchContext): Promise<Record<string, unknown>> {
  const report = await initBackend({ prefer: 'wasm' });
  if (report.backend !== 'wasm')
    throw new Error(`bench conv3d: wasm backend not available (${report.backend})`);
  ctx.log(`conv3d: wasm with ${report.threads} thread(s), ${RUNS} runs after a warm-up`);
  const out: Record<string, unknown> = {
    backend: report.backend,
    threads: report.threads,
    runs: RUNS,
    loadavg_1m_before: round(loadavg()[0]!),
    xnnpack_conv2d_ref_gflops: await referenceConv2d(),
  };
  for (const shape of SHAPES) {
    out[shape.name] = await benchShape(shape);
    ctx.log(`conv3d: ${shape.name} ${JSON.stringify(out[shape.name])}`);
  }
  out.loadavg_1m_after = round(loadavg()[0]!);
  return out;
}

async function benchShape(s: Shape): Promise<Record<string, number | string>> {
  const xShape: [number, number, number, number, number] = [s.batch, s.size, s.size, s.size, s.inC];
  const filterShape: [number, number, number, number, number] = [s.k, s.k, s.k, s.inC, s.outC];
  const g = conv3dGeometry(xShape, filterShape, s.stride, 'same');
  const x = tf.randomNormal(xShape) as tf.Tensor5D;
  const w = tf.randomNormal(filterShape) as tf.Tensor5D;
  const dy = tf.randomNormal([s.batch, g.outD, g.outH, g.outW, s.outC]) as tf.Tensor5D;
  const attrs = { strides: s.stride, pad: 'same' };
  try {
    const forward = median(await timeRuns(RUNS, () => tf.conv3d(x, w, s.stride, 'same').dispose()));
    const inputGrad = median(
      await timeRuns(RUNS, () =>
        (
          tf
            .engine()
            .runKernel(
              'Conv3DBackpropInputV2',
              { dy, filter: w },
              { ...attrs, inputShape: xShape },
            ) as tf.Tensor
        ).dispose(),
      ),
    );
    const filterGrad = median(
      await timeRuns(RUNS, () =>
        (
          tf.engine().runKernel('Conv3DBackpropFilterV2', { x, dy }, { ...attrs, filterShape }) as tf.Tensor
        ).dispose(),
      ),
    );
    const flops = conv3dFlops(g);
    return {
      gflop: round(flops / 1e9),
      forward_gflops: round(flops / forward / 1e9),
      input_grad_gflops: round(flops / inputGrad / 1e9),
      filter_grad_gflops: round(flops / filterGrad / 1e9),
      forward_s: round(forward),
      input_grad_s: round(inputGrad),
      filter_grad_s: round(filterGrad),
      filter_grad_path: s.k === 1 ? 'pointwise' : useShiftedFilterGrad(g) ? 'shifted' : 'correlation',
    };
  } finally {
    tf.dispose([x, w, dy]);
  }
}

/** GFLOP/s of tf.conv2d [48, 26, 26, 384] x [3, 3, 384, 32]: the dense layer's folded GEMM alone. */
async function referenceConv2d(): Promise<number> {
  const x = tf.randomNormal([48, 26, 26, 384]) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, 384, 32]) as tf.Tensor4D;
  try {
    const seconds = median(await timeRuns(RUNS, () => tf.conv2d(x, w, 1, 'valid').dispose()));
    return round((2 * 48 * 24 * 24 * 32 * 9 * 384) / seconds / 1e9);
  } finally {
    tf.dispose([x, w]);
  }
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
