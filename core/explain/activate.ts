// Logits to the numbers an explanation averages: softmax over classes, per-class sigmoid, MONAI's rule, or
// nothing. Shared by occlusion sensitivity and active learning.

import type { OcclusionActivation } from './occlusionParams.js';

/**
 * Applies `activation` to logits [n, classes] (C order); returns a new array. 'monai' = MONAI's
 * OcclusionSensitivity(activate=True): sigmoid when the classifier's INPUT has one channel
 * (`inputChannels` = 1), softmax over classes otherwise. Softmax subtracts the row maximum first.
 */
export function activate(
  logits: Float32Array,
  classes: number,
  activation: OcclusionActivation,
  inputChannels = 1,
): Float32Array {
  const rule = activation === 'monai' ? (inputChannels === 1 ? 'sigmoid' : 'softmax') : activation;
  const out = new Float32Array(logits.length);
  for (let r = 0; r < logits.length / classes; r++) {
    const row = logits.subarray(r * classes, (r + 1) * classes);
    if (rule === 'softmax') {
      const max = Math.max(...row);
      let sum = 0;
      for (let k = 0; k < classes; k++) sum += Math.exp(row[k]! - max);
      for (let k = 0; k < classes; k++) out[r * classes + k] = Math.exp(row[k]! - max) / sum;
    } else {
      for (let k = 0; k < classes; k++)
        out[r * classes + k] = rule === 'sigmoid' ? 1 / (1 + Math.exp(-row[k]!)) : row[k]!;
    }
  }
  return out;
}
