// Eval forwards compared across backends (issue #12, must-show 1): MONAI's tiny DenseNet with its reference
// weights on input_32.f32, and DenseNet121 (MONAI's initialisers, seed 0) on input_96.f32, MONAI's IXI012
// volume through ScaleIntensity -> Resize(96^3), both from shared/reference/monai. The vitest process runs
// them on wasm, a child process on webgpu (webgpuChild.ts `forward NAME`).

import * as tf from '@tensorflow/tfjs-core';
import { createDenseNet, loadStateDict, parseSafetensors } from '../../../model/index.js';
import { referenceBytes, referenceFloat32 } from '../../../model/testing/backends.js';
import { MODEL_PRESETS } from '../../../train/config.js';
import { writeAnalyticWeights } from '../../../model/testing/monai121/analyticWeights.js';

/** The forwards: the model, the input (a reference .f32 file) and its edge, and the weights (when MONAI's). */
export const FORWARDS = {
  tinyMonai: {
    config: MODEL_PRESETS.tiny,
    input: 'input_32.f32',
    size: 32,
    weights: 'densenet_tiny.safetensors',
  },
  densenet121: { config: MODEL_PRESETS.densenet121, input: 'input_96.f32', size: 96, weights: null },
  /** DenseNet121 with make_reference.py's closed-form weights: MONAI's logits are in logits.json. */
  densenet121Analytic: { config: MODEL_PRESETS.densenet121, input: 'input_96.f32', size: 96, weights: 'analytic' },
} as const;
export type ForwardName = keyof typeof FORWARDS;

/**
 * Logits [1, 2] of forward `name` on the active backend (eval mode), and the wall seconds of each of `runs`
 * forwards (the first includes the backend's pipeline compilation and buffer allocation).
 */
export async function runForward(
  name: ForwardName,
  runs = 1,
): Promise<{ logits: Float32Array; seconds: number[] }> {
  const { config, input, size, weights } = FORWARDS[name];
  const model = createDenseNet({ ...config, outChannels: 2 }, { inputSize: [size, size, size], seed: 0 });
  // [1, 1, D, H, W] NCDHW holds the same memory as [1, D, H, W, 1] NDHWC: one channel.
  const x = tf.tensor5d(referenceFloat32(input), [1, size, size, size, 1]);
  try {
    if (weights === 'analytic') writeAnalyticWeights(model);
    else if (weights !== null) loadStateDict(model, parseSafetensors(referenceBytes(weights)));
    const seconds: number[] = [];
    let logits = new Float32Array();
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      const out = model.forward(x);
      logits = Float32Array.from(await out.data());
      out.dispose();
      seconds.push((performance.now() - t0) / 1000);
    }
    return { logits, seconds };
  } finally {
    x.dispose();
    model.dispose();
  }
}
