// Krippendorff's alpha for nominal data: chance-corrected agreement that takes any number of readers per
// scan, so scans with a missing read still count (Krippendorff 2011, "Computing Krippendorff's
// alpha-reliability", Annenberg School for Communication, University of Pennsylvania; Hayes &
// Krippendorff 2007, Communication Methods and Measures 1(1):77-89).

import { VoxlabError } from '../common/errors.js';

/** Krippendorff's nominal alpha. `alpha` is null with a reason where it is 0/0 (never NaN). */
export interface KrippendorffAlpha {
  /** Scans with at least 2 reads: the only ones that carry pairs (the "pairable" units). */
  readonly scans: number;
  /** Reads on those scans (n, the number of pairable values). */
  readonly pairableReads: number;
  /** 1 - D_o / D_e, at most 1; 0 is chance agreement. */
  readonly alpha: number | null;
  readonly reason: string | null;
}

/**
 * Nominal alpha from `counts[u][c]`: how many reads of scan u are class c (any number of reads per scan;
 * scans with fewer than 2 are left out, as Krippendorff prescribes). With the coincidences
 * o_ck = sum_u n_uc (n_uk - [c = k]) / (m_u - 1), n_c = sum_k o_ck and n = sum_c n_c:
 *   alpha = 1 - (n - 1) (n - sum_c o_cc) / (n^2 - sum_c n_c^2).
 * Null with a reason when no scan has 2 reads or all pairable reads are one class (D_e = 0). Throws
 * BAD_ARGUMENT when a count is not a non-negative integer or rows differ in length.
 */
export function krippendorffAlpha(counts: readonly (readonly number[])[]): KrippendorffAlpha {
  const k = counts[0]?.length ?? 0;
  counts.forEach((row, u) => {
    if (row.length !== k || !row.every((v) => Number.isInteger(v) && v >= 0))
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `krippendorffAlpha: row ${u} must hold ${k} non-negative integer counts`,
      );
  });
  const totals = new Array<number>(k).fill(0); // n_c
  let diagonal = 0; // sum_c o_cc
  let scans = 0;
  for (const row of counts) {
    const mu = row.reduce((s, v) => s + v, 0);
    if (mu < 2) continue;
    scans += 1;
    row.forEach((v, c) => {
      totals[c]! += v; // sum_k o_ck over one unit is n_uc (m_u - 1) / (m_u - 1)
      diagonal += (v * (v - 1)) / (mu - 1);
    });
  }
  const n = totals.reduce((s, v) => s + v, 0);
  if (scans === 0) return { scans, pairableReads: 0, alpha: null, reason: 'no scan has two or more reads' };
  const expectedDisagreement = n * n - totals.reduce((s, v) => s + v * v, 0);
  if (expectedDisagreement <= 0) {
    return {
      scans,
      pairableReads: n,
      alpha: null,
      reason: 'every read of a scan with two or more reads is the same class, so alpha is 0/0',
    };
  }
  return {
    scans,
    pairableReads: n,
    alpha: 1 - ((n - 1) * (n - diagonal)) / expectedDisagreement,
    reason: null,
  };
}
