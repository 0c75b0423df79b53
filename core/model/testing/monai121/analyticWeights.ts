// The closed-form DenseNet weights of make_reference.py (see its docstring for the formulas), written into a
// TfModel, so that a test compares our forward with MONAI's stored logits (logits.json) for a full-size
// DenseNet121 without shipping its 45 MB of weights. Entry e counts every state_dict entry in MONAI's order,
// num_batches_tracked included; values are computed in float64 and rounded to float32, as numpy does.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TfModel } from '../../index.js';

/** Values of entry `key` (number `e`, PyTorch shape `shape`), C order. */
export function analyticValues(key: string, e: number, shape: readonly number[]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  const fanIn = n / (shape[0] ?? 1);
  for (let t = 0; t < n; t++) {
    let v: number;
    if (key.endsWith('running_mean')) v = 0.1 * Math.sin(0.53 * t + e);
    else if (key.endsWith('running_var')) v = 1 + 0.5 * Math.sin(0.37 * t + e) ** 2;
    else if (key.endsWith('bias')) v = 0.05 * Math.sin(0.29 * t + e);
    else if (shape.length === 1) v = 1 + 0.2 * Math.sin(0.71 * t + e);
    else v = Math.sqrt(3 / fanIn) * Math.sin(0.7 * t + 0.1 * e);
    out[t] = v;
  }
  return out;
}

/** Writes the closed-form weights into every float entry of `model` (its state_dict order must be MONAI's). */
export function writeAnalyticWeights(model: TfModel): void {
  model.stateKeys.forEach((key, e) => {
    const entry = model.entry(key);
    if (entry.dtype !== 'I64') model.writeTorch(key, analyticValues(key, e, entry.shape));
  });
}

/** MONAI's logits for these weights on shared/reference/monai/input_96.f32 (make_reference.py). */
export function monaiAnalyticLogits(): { logits: number[]; entries: number } {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'logits.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as { logits: number[]; state_dict_entries: number };
  return { logits: json.logits, entries: json.state_dict_entries };
}
