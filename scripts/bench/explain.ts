// `npm run bench -- explain`: explanations of DenseNet121-3D at 96^3.
// - occlusion_slice_mask12_s: occlusion sensitivity exactly as MONAI's figure was measured (mask 12,
//   n_batch 10, overlap 0.25, gaussian, activation as MONAI (sigmoid for 1-channel input), one axial
//   slice b_box [48, 49, -1, -1, -1, -1]: 121 windows), with the incremental engine in ONNX Runtime;
//   the plain engine (every occluded volume in full) is timed too, and the logits of both engines are
//   compared on one batch of windows (their maps agree at least as well).
// - gradcam_1x96_s: Grad-CAM at class_layers.relu on the tfjs model (wasm backend unless VOXLAB_BACKEND).
// Weights are seeded random with jittered BatchNorm statistics: timing does not depend on their values.

import os from 'node:os';
import { initBackend } from '../../core/backend/index.js';
import { SeededRandom } from '../../core/common/random.js';
import { gradCam } from '../../core/explain/gradCam.js';
import { incrementalOcclusionEngine } from '../../core/explain/incremental/ortPieces.js';
import { plainOcclusionEngine, type Occlusion } from '../../core/explain/occlusionEngine.js';
import { occlusionSensitivity } from '../../core/explain/occlusionSensitivity.js';
import { tfModelFromState } from '../../core/explain/tfModelFromState.js';
import { exportOnnx, initialStateDict, openOrtClassifier } from '../../core/infer/index.js';
import { describeDenseNet } from '../../core/model/index.js';
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
  try {
    ctx.log('occlusion, incremental engine...');
    let t0 = process.hrtime.bigint();
    const fast = await occlusionSensitivity(classifier, input, { ...params, engine });
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
  }
  return out;
}
