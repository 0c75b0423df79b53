// Prediction entropy, the classic uncertainty-sampling score (Settles, "Active Learning Literature Survey",
// 2009, section 3.1): the image whose predicted class distribution is most spread out is asked next.

import { VoxlabError } from '../common/errors.js';

/**
 * -sum_k p_k ln p_k in nats (natural log; 0 ln 0 = 0): 0 for a certain prediction, ln(classes) at most
 * (ln 2 = 0.693 for two classes). Throws BAD_VALUES unless `p` holds finite numbers in [0, 1] summing to
 * 1 (within 1e-4).
 */
export function predictionEntropy(p: ArrayLike<number>): number {
  let sum = 0;
  let h = 0;
  for (let k = 0; k < p.length; k++) {
    const v = p[k]!;
    if (!(Number.isFinite(v) && v >= 0 && v <= 1))
      throw new VoxlabError('BAD_VALUES', `predictionEntropy: probabilities must be in [0, 1], got ${v}`);
    sum += v;
    if (v > 0) h -= v * Math.log(v);
  }
  if (p.length === 0 || Math.abs(sum - 1) > 1e-4)
    throw new VoxlabError('BAD_VALUES', `predictionEntropy: probabilities must sum to 1, got ${sum}`);
  return h;
}

/** Softmax of one row of logits (the maximum subtracted first). */
export function softmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let k = 0; k < logits.length; k++) max = Math.max(max, logits[k]!);
  const out = Float64Array.from({ length: logits.length }, (_, k) => Math.exp(logits[k]! - max));
  const s = out.reduce((a, b) => a + b, 0);
  return out.map((v) => v / s);
}
