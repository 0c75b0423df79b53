// Where a DenseNet forward's time goes on the webgpu backend (issue #12): a first eval forward (pipeline
// compilation included), a second (execution only), then a third under tf.profile, whose per-kernel times
// come from the device's timestamp queries (tfjs-backend-webgpu times each kernel in its own compute pass).
// Run in a process started with the adapter's environment (swiftshader.ts), e.g. through webgpuChild.ts:
//   webgpuChild.js profile MODEL SIZE [stock]   MODEL densenet121 | small | tiny, SIZE the cube's edge in
//                                               voxels; 'stock': with tfjs's naive Conv3D instead of ours

import * as tf from '@tensorflow/tfjs-core';
import { createDenseNet } from '../../../model/index.js';
import { seededTensor } from '../../../model/testing/tensors.js';
import { MODEL_PRESETS } from '../../../train/config.js';
import { Adam, createTrainStep, namedParameters } from '../../../train/engine/index.js';
import { initBackend } from '../../selectBackend.js';
import { setWebgpuConv3dImplementation } from '../kernels/conv3d.js';

/** Device time of one kind of kernel over a profiled forward. */
export interface KernelTime {
  /** The kernel's name; Conv3D with its filter's edge and stride, e.g. 'Conv3D 3x3x3 s1'. */
  readonly kernel: string;
  readonly calls: number;
  readonly ms: number;
  /** For Conv3D: 2 * multiply-adds / device time. */
  readonly gflops?: number;
}

export interface ForwardProfile {
  readonly model: string;
  readonly size: number;
  readonly conv3d: 'tiled' | 'stock';
  /** Wall seconds of the first forward (compiles every pipeline it needs) and of the second. */
  readonly firstS: number;
  readonly secondS: number;
  /** Pipelines the backend holds after the first and the second forward (the second should add none). */
  readonly pipelinesAfterFirst: number;
  readonly pipelinesAfterSecond: number;
  /** Sum of the profiled kernels' device times, and the profiled forward's wall seconds (when profiled). */
  readonly kernelS?: number;
  readonly profiledWallS?: number;
  /** Per kind of kernel, most time first (when profiled). */
  readonly kernels?: readonly KernelTime[];
}

/**
 * Profiles an eval forward of `model` ('densenet121', 'small' or 'tiny'; 2 classes) on one 1-channel cube,
 * with our Conv3D or tfjs's ('stock'); with `step`, a training step (Adam) on a batch of 2 cubes instead.
 * `profiled` false skips the third, profiled run.
 */
export async function profileForward(
  model: string,
  size: number,
  conv3d: 'tiled' | 'stock' = 'tiled',
  profiled = true,
  step = false,
): Promise<ForwardProfile> {
  const report = await initBackend({ prefer: 'webgpu' });
  if (report.backend !== 'webgpu')
    throw new Error(`profileForward: webgpu did not start: ${report.webgpu.detail}`);
  setWebgpuConv3dImplementation(conv3d);
  const config = MODEL_PRESETS[model as keyof typeof MODEL_PRESETS] as object | undefined;
  if (config === undefined) throw new Error(`profileForward: unknown model '${model}'`);
  const net = createDenseNet({ ...config, outChannels: 2 }, { inputSize: [size, size, size], seed: 3 });
  const x = seededTensor([step ? 2 : 1, size, size, size, 1], 5, 0, 1) as tf.Tensor5D;
  const backend = tf.backend() as unknown as { pipelineCache: Record<string, unknown> };
  const optimizer = step ? new Adam(namedParameters(net), { lr: 1e-5 }) : null;
  const trainStep = optimizer === null ? null : createTrainStep(net, { optimizer });
  const once = async () => {
    if (trainStep !== null) {
      await trainStep(x, Int32Array.from([0, 1]));
      return;
    }
    const out = net.forward(x);
    await out.data();
    out.dispose();
  };
  const timed = async () => {
    const t0 = performance.now();
    await once();
    return (performance.now() - t0) / 1000;
  };
  try {
    const firstS = await timed();
    const pipelinesAfterFirst = Object.keys(backend.pipelineCache).length;
    const secondS = await timed();
    const pipelinesAfterSecond = Object.keys(backend.pipelineCache).length;
    if (!profiled) return { model, size, conv3d, firstS, secondS, pipelinesAfterFirst, pipelinesAfterSecond };
    const t0 = performance.now();
    const info = await tf.profile(once);
    const profiledWallS = (performance.now() - t0) / 1000;
    const byKind = new Map<string, { calls: number; ms: number; flops: number }>();
    for (const k of info.kernels) {
      let kind = k.name;
      let flops = 0;
      if (k.name === 'Conv3D') {
        const [kd, , , cin] = k.inputShapes[1]!;
        const stride = k.inputShapes[0]![1]! > k.outputShapes[0]![1]! * 1.5 ? 2 : 1;
        kind = `Conv3D ${kd}x${kd}x${kd} s${stride}`;
        flops = 2 * k.outputShapes[0]!.reduce((a, b) => a * b, 1) * kd! ** 3 * cin!;
      }
      const entry = byKind.get(kind) ?? { calls: 0, ms: 0, flops: 0 };
      entry.calls++;
      entry.ms += k.kernelTimeMs as number;
      entry.flops += flops;
      byKind.set(kind, entry);
    }
    const kernels = [...byKind]
      .map(([kernel, e]) => ({
        kernel,
        calls: e.calls,
        ms: Math.round(e.ms),
        ...(e.flops > 0 ? { gflops: Math.round((e.flops / (e.ms * 1e6)) * 1000) / 1000 } : {}),
      }))
      .sort((a, b) => b.ms - a.ms);
    const kernelS = kernels.reduce((s, k) => s + k.ms, 0) / 1000;
    return {
      model,
      size,
      conv3d,
      firstS,
      secondS,
      pipelinesAfterFirst,
      pipelinesAfterSecond,
      kernelS,
      profiledWallS,
      kernels,
    };
  } finally {
    optimizer?.dispose();
    net.dispose();
    x.dispose();
  }
}
