// `npm run bench -- explain`: explanations of DenseNet121-3D at 96^3.
// - occlusion_slice_mask12_s: occlusion sensitivity exactly as MONAI's figure was measured (mask 12,
//   n_batch 10, overlap 0.25, gaussian, activation as MONAI (sigmoid for 1-channel input), one axial
//   slice b_box [48, 49, -1, -1, -1, -1]: 121 windows), with the incremental engine in ONNX Runtime;
//   the plain engine (every occluded volume in full) is timed too, and the logits of both engines are
//   compared on one batch of windows (their maps agree at least as well).
// - onnx_*: the same occlusion of the same network given as an ONNX file shaped as MONAI's export
//   (BatchNorms folded into the convs, core/infer/testing/monaiStyleOnnx.ts), with the engine
//   chooseOcclusionEngine picks for it (incremental when the file is recognised as a DenseNet) and the
//   plain engine; VOXLAB_BENCH_ONNX=0 skips it.
// - gradcam_1x96_s: Grad-CAM at class_layers.relu on the tfjs model (wasm backend unless VOXLAB_BACKEND).
// Weights are seeded random with jittered BatchNorm statistics: timing does not depend on their values.

import os from 'node:os';
import { initBackend } from '../../core/backend/index.js';
import { SeededRandom } from '../../core/common/random.js';
import { gradCam } from '../../core/explain/gradCam.js';
import { chooseOcclusionEngine } from '../../core/explain/incremental/chooseEngine.js';
import { incrementalOcclusionEngine } from '../../core/explain/incremental/ortPieces.js';
import { plainOcclusionEngine, type Occlusion } from '../../core/explain/occlusionEngine.js';
import { occlusionSensitivity } from '../../core/explain/occlusionSensitivity.js';
import { tfModelFromState } from '../../core/explain/tfModelFromState.js';
import { exportOnnx, initialStateDict, openOrtClassifier, type StateDict } from '../../core/infer/index.js';
import { exportMonaiStyleOnnx } from '../../core/infer/testing/monaiStyleOnnx.js';
import { describeDenseNet, type DenseNetConfig, type ModelDescription } from '../../core/model/index.js';
import { median, timeRuns, type BenchContext } from './context.js';

const SIZE = 96;

function seconds(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export async function explainSuite(ctx: BenchContext): Promise<Record<string, unknown>> {
  const threads = os.availableParallelism();
  const description = describeDenseNet({}, [SIZE, SIZE, SIZE]);
  const state = new Map(initialStateDict(description, 1));
  const r = new SeededRandom(2);
  for (const [k, v] of state)
    if (k.endsWith('running_var'))
      state.set(
        k,
        v.map(() => 0.5 + r.next()),
      );
  const input = Float32Array.from({ length: SIZE ** 3 }, () => r.next());
  const classifier = await openOrtClassifier(exportOnnx(description, state), { threads });
  const params = {
    maskSize: 12,
    nBatch: 10,
    overlap: 0.25,
    mode: 'gaussian' as const,
    bBox: [48, 49, -1, -1, -1, -1],
    activation: 'monai' as const,
  };
  const engine = incrementalOcclusionEngine(description, state, { threads });
  const out: Record<string, unknown> = {
    model: 'DenseNet121-3D, 96^3, seeded random weights',
    engine: classifier.engine,
  };
  let weightsMap: Float32Array | null = null;
  try {
    ctx.log('occlusion, incremental engine...');
    let t0 = process.hrtime.bigint();
    const fast = await occlusionSensitivity(classifier, input, { ...params, engine });
    weightsMap = fast.maps;
    out.occlusion_slice_mask12_s = seconds(t0);
    out.windows = fast.plan.windows;
    ctx.log(`  ${(out.occlusion_slice_mask12_s as number).toFixed(2)} s for ${fast.plan.windows} windows`);
    if (process.env.VOXLAB_BENCH_PLAIN !== '0') {
      ctx.log('occlusion, plain engine (whole volumes; VOXLAB_BENCH_PLAIN=0 skips it)...');
      t0 = process.hrtime.bigint();
      const plain = await occlusionSensitivity(classifier, input, params);
      out.occlusion_slice_mask12_plain_s = seconds(t0);
      let d = 0;
      for (let i = 0; i < plain.maps.length; i++) d = Math.max(d, Math.abs(plain.maps[i]! - fast.maps[i]!));
      out.incremental_vs_plain_map_max_abs_diff = d;
    }
    // Logits of both engines on the first 10 windows of the run (maps of random weights saturate).
    const windows: Occlusion[] = Array.from({ length: 10 }, (_, i) => ({
      start: [43, 0, Math.min(84, 9 * i)] as const,
      size: [11, 12, 12] as const,
      patch: new Float32Array(11 * 12 * 12),
    }));
    const [a, b] = await Promise.all([
      engine(classifier, input, 10),
      plainOcclusionEngine(classifier, input, 10),
    ]);
    const [la, lb] = [await a.logits(windows), await b.logits(windows)];
    await Promise.all([a.dispose(), b.dispose()]);
    out.incremental_vs_plain_logits_max_abs_diff = Math.max(
      ...Array.from(la, (v, i) => Math.abs(v - lb[i]!)),
    );
    out.logits_max_abs = Math.max(...Array.from(lb, Math.abs));
  } finally {
    await classifier.dispose();
  }
  if (process.env.VOXLAB_BENCH_ONNX !== '0')
    Object.assign(out, await onnxCase(ctx, description, state, input, params, threads, weightsMap));

  const backend = await initBackend({
    prefer: (process.env.VOXLAB_BACKEND as 'wasm' | 'cpu' | undefined) ?? 'auto',
  });
  ctx.log(`Grad-CAM on tfjs ${backend.backend} (${backend.threads} threads)...`);
  const model = tfModelFromState(description, state);
  try {
    const runs = await timeRuns(3, () => void gradCam(model, input, { classIndex: 1 }));
    out.gradcam_1x96_s = median(runs);
    out.gradcam_backend = `tfjs-${backend.backend} (${backend.threads} threads)`;
  } finally {
    model.dispose();
  }
  const monai = ctx.reference.occlusion_slice_mask12_s;
  if (typeof monai === 'number') {
    out.monai_occlusion_slice_mask12_s = monai;
    out.occlusion_ratio_vs_monai = (out.occlusion_slice_mask12_s as number) / monai;
    out.occlusion_goal_ratio = 0.33;
    if (typeof out.onnx_occlusion_slice_mask12_s === 'number')
      out.onnx_occlusion_ratio_vs_monai = out.onnx_occlusion_slice_mask12_s / monai;
    if (typeof out.onnx_occlusion_slice_mask12_plain_s === 'number')
      out.onnx_occlusion_plain_ratio_vs_monai = out.onnx_occlusion_slice_mask12_plain_s / monai;
  }
  return out;
}

/**
 * The occlusion through an ONNX file as MONAI exports it: the engine chooseOcclusionEngine picks (timed),
 * the plain engine (timed unless VOXLAB_BENCH_PLAIN=0), and how far their maps and the map of the same
 * network given by its weights (`weightsMap`) differ.
 */
async function onnxCase(
  ctx: BenchContext,
  description: ModelDescription<DenseNetConfig>,
  state: StateDict,
  input: Float32Array,
  params: Parameters<typeof occlusionSensitivity>[2],
  threads: number,
  weightsMap: Float32Array | null,
): Promise<Record<string, unknown>> {
  const onnx = exportMonaiStyleOnnx(description, state);
  const model = {
    kind: 'onnx' as const,
    id: 'densenet121_monai_style.onnx',
    source: 'memory',
    weights: null,
    classes: ['class0', 'class1'],
    inputSize: [SIZE, SIZE, SIZE] as const,
    onnx,
    network: null,
  };
  const out: Record<string, unknown> = {};
  let t0 = process.hrtime.bigint();
  const choice = chooseOcclusionEngine(model, 'auto', { threads });
  out.onnx_recognise_s = seconds(t0);
  out.onnx_engine = choice.name;
  out.onnx_engine_reason = choice.reason;
  const classifier = await openOrtClassifier(onnx, { threads });
  try {
    ctx.log(`occlusion through a MONAI-style ONNX file, ${choice.name} engine (${choice.reason})...`);
    t0 = process.hrtime.bigint();
    const picked = await occlusionSensitivity(classifier, input, {
      ...params,
      ...(choice.engine !== undefined ? { engine: choice.engine } : {}),
    });
    out.onnx_occlusion_slice_mask12_s = seconds(t0);
    ctx.log(`  ${(out.onnx_occlusion_slice_mask12_s as number).toFixed(2)} s`);
    if (process.env.VOXLAB_BENCH_PLAIN !== '0') {
      ctx.log('occlusion through the ONNX file, plain engine...');
      t0 = process.hrtime.bigint();
      const plain = await occlusionSensitivity(classifier, input, params);
      out.onnx_occlusion_slice_mask12_plain_s = seconds(t0);
      out.onnx_picked_vs_plain_map_max_abs_diff = maxAbsDiff(picked.maps, plain.maps);
    }
    if (weightsMap !== null) out.onnx_vs_weights_map_max_abs_diff = maxAbsDiff(picked.maps, weightsMap);
  } finally {
    await classifier.dispose();
  }
  return out;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}
