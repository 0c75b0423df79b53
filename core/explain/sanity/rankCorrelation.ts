// Spearman's rank correlation of two maps (voxel by voxel), on their values and on their absolute values, as
// Adebayo et al., "Sanity Checks for Saliency Maps" (NeurIPS 2018, §3) compare a map with the map of a
// randomized model: the absolute version ignores a sign flip, which many attribution methods do not fix.

import { VoxlabError } from '../../common/errors.js';

/**
 * Fractional ranks 1..n of `values` (ties get the mean of the ranks they span, as scipy.stats.rankdata's
 * 'average'). NaN is not allowed (the caller checks).
 */
export function ranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a]! - values[b]!);
  const out = new Float64Array(n);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && values[order[end]!] === values[order[start]!]) end++;
    // Positions start..end-1 (0-based) hold one tied value: ranks start+1..end, mean (start + 1 + end) / 2.
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) out[order[k]!] = rank;
    start = end;
  }
  return out;
}

/** Pearson's correlation of two equally long vectors; null when either is constant. */
function pearson(a: Float64Array, b: Float64Array): number | null {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa === 0 || sbb === 0) return null;
  return Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
}

/**
 * Spearman's rho of `a` and `b` (the same voxels in the same order, any layout): Pearson's correlation of
 * their fractional ranks, in [-1, 1]. A constant map has no ranking: rho is 1 when both maps are constant
 * and equal, else 0 (a randomized model whose map went flat kept none of the original ranking). With
 * `absolute`, the ranks of |a| and |b|. Throws SHAPE_MISMATCH for different lengths or an empty map,
 * BAD_VALUES for a NaN or infinite value.
 */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>, absolute = false): number {
  if (a.length !== b.length || a.length === 0)
    throw new VoxlabError(
      'SHAPE_MISMATCH',
      `spearman: maps of ${a.length} and ${b.length} values (need the same, non-zero number)`,
    );
  const prep = (m: ArrayLike<number>, name: string) => {
    const v = Float64Array.from(m as ArrayLike<number>, (x) => (absolute ? Math.abs(x) : x));
    if (!v.every(Number.isFinite))
      throw new VoxlabError('BAD_VALUES', `spearman: map ${name} holds a NaN or infinite value`);
    return v;
  };
  const va = prep(a, 'a');
  const vb = prep(b, 'b');
  const rho = pearson(ranks(va), ranks(vb));
  if (rho !== null) return rho;
  const constant = (v: Float64Array) => v.every((x) => x === v[0]);
  return constant(va) && constant(vb) && va[0] === vb[0] ? 1 : 0;
}
