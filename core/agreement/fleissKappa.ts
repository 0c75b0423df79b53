// Fleiss' kappa for any number of readers (Fleiss 1971), overall and per class, with the standard errors
// under the null hypothesis of no agreement beyond chance from Fleiss, Nee & Landis (1979).

import { VoxlabError } from '../common/errors.js';

/** Fleiss' per-class kappa_j (Fleiss 1971): agreement on "class j or not" beyond chance. */
export interface FleissClassKappa {
  /** Proportion p_j of all reads in the table that are class j. */
  readonly proportion: number;
  /** kappa_j; null with a reason when no read, or every read, is class j (0/0). */
  readonly kappa: number | null;
  readonly reason: string | null;
  /** SE of kappa_j under H0: kappa_j = 0, sqrt(2 / (N m (m - 1))) (Fleiss, Nee & Landis 1979). */
  readonly seNull: number | null;
  /** kappa_j / seNull. */
  readonly z: number | null;
}

/** Fleiss' kappa of a table of N scans with m reads each. Null numbers carry a reason (never NaN). */
export interface FleissKappaStats {
  readonly scans: number;
  readonly readsPerScan: number;
  /** P-bar: mean over scans of the fraction of agreeing pairs of reads, P_i = sum_j n_ij(n_ij - 1) / (m(m - 1)). */
  readonly observed: number | null;
  /** P-bar_e = sum_j p_j^2: chance agreement from the pooled class proportions. */
  readonly expected: number | null;
  /** (P-bar - P-bar_e) / (1 - P-bar_e). */
  readonly kappa: number | null;
  readonly reason: string | null;
  /**
   * SE of kappa under H0: kappa = 0, Fleiss, Nee & Landis (1979), "Large sample variance of kappa in
   * the case of different sets of raters", Psychological Bulletin 86(5):974-977, which corrects
   * the variance printed in Fleiss (1971). It is valid for testing kappa = 0 only, not for a confidence interval around
   * a non-zero kappa (Gwet 2021, "Large-sample variance of Fleiss generalized kappa",
   * Educational and Psychological Measurement; PMC8243202), so no interval
   * is reported.
   */
  readonly seNull: number | null;
  /** kappa / seNull: the z statistic of the test of kappa = 0. */
  readonly z: number | null;
  /** Per-class kappa_j, in the order of the table's columns. */
  readonly perClass: readonly FleissClassKappa[];
}

/**
 * P_i of one scan: the fraction of its m(m - 1) ordered pairs of reads that agree,
 * sum_j n_ij (n_ij - 1) / (m (m - 1)) (Fleiss 1971). `row[j]` is n_ij; m = sum_j n_ij must be >= 2.
 */
export function scanAgreement(row: readonly number[]): number {
  const m = row.reduce((s, v) => s + v, 0);
  if (m < 2) throw new VoxlabError('BAD_ARGUMENT', `scanAgreement: a scan needs at least 2 reads, got ${m}`);
  return row.reduce((s, v) => s + v * (v - 1), 0) / (m * (m - 1));
}

function checkCounts(counts: readonly (readonly number[])[]): { m: number; k: number } {
  const first = counts[0];
  if (first === undefined || first.length === 0)
    throw new VoxlabError('BAD_ARGUMENT', 'fleissKappa: give at least one scan and one class');
  const k = first.length;
  const m = first.reduce((s, v) => s + v, 0);
  counts.forEach((row, i) => {
    if (row.length !== k)
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `fleissKappa: row ${i} has ${row.length} classes, row 0 has ${k}`,
      );
    if (!row.every((v) => Number.isInteger(v) && v >= 0))
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `fleissKappa: row ${i} holds a count that is not a non-negative integer`,
      );
    const sum = row.reduce((s, v) => s + v, 0);
    if (sum !== m)
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `fleissKappa: every scan needs the same number of reads; row 0 has ${m}, row ${i} has ${sum}`,
      );
  });
  if (m < 2)
    throw new VoxlabError('BAD_ARGUMENT', `fleissKappa: every scan needs at least 2 reads, got ${m}`);
  return { m, k };
}

function classKappas(
  counts: readonly (readonly number[])[],
  p: readonly number[],
  m: number,
): FleissClassKappa[] {
  const n = counts.length;
  const seNull = Math.sqrt(2 / (n * m * (m - 1)));
  return p.map((pj, j) => {
    const qj = 1 - pj;
    if (pj === 0 || qj <= 1e-12) {
      const reason =
        pj === 0
          ? 'no read is this class'
          : 'every read is this class, so its chance agreement is 1 and kappa is 0/0';
      return { proportion: pj, kappa: null, reason, seNull: null, z: null };
    }
    // kappa_j = 1 - sum_i n_ij (m - n_ij) / (N m (m - 1) p_j q_j)  (Fleiss 1971)
    const disagreement = counts.reduce((s, row) => s + row[j]! * (m - row[j]!), 0);
    const kappa = 1 - disagreement / (n * m * (m - 1) * pj * qj);
    return { proportion: pj, kappa, reason: null, seNull, z: kappa / seNull };
  });
}

/**
 * Fleiss' kappa (Fleiss 1971, "Measuring nominal scale agreement among many raters", Psychological
 * Bulletin 76(5):378-382) from `counts[i][j]`: how many of scan i's m reads are class j. Every row must
 * sum to the same m >= 2 (Fleiss' kappa needs a constant number of reads per scan; the readers may
 * differ from scan to scan). Kappa is null with a reason when every read is one class. Throws
 * BAD_ARGUMENT for an empty table, unequal row sums, m < 2, or counts that are not non-negative integers.
 */
export function fleissKappa(counts: readonly (readonly number[])[]): FleissKappaStats {
  const { m, k } = checkCounts(counts);
  const n = counts.length;
  const p = Array.from({ length: k }, (_, j) => counts.reduce((s, row) => s + row[j]!, 0) / (n * m));
  const observed = counts.reduce((s, row) => s + scanAgreement(row), 0) / n;
  const expected = p.reduce((s, pj) => s + pj * pj, 0);
  const perClass = classKappas(counts, p, m);
  const base = { scans: n, readsPerScan: m, observed, expected, perClass };
  if (expected > 1 - 1e-12) {
    return {
      ...base,
      kappa: null,
      reason: 'every read is the same class, so chance agreement is 1 and kappa is 0/0',
      seNull: null,
      z: null,
    };
  }
  const kappa = (observed - expected) / (1 - expected);
  // Fleiss, Nee & Landis (1979):
  //   se_0 = sqrt(2) / (sum_j p_j q_j sqrt(N m (m - 1))) * sqrt((sum_j p_j q_j)^2 - sum_j p_j q_j (q_j - p_j))
  const pq = p.reduce((s, pj) => s + pj * (1 - pj), 0);
  const pqqp = p.reduce((s, pj) => s + pj * (1 - pj) * (1 - 2 * pj), 0);
  const seNull = (Math.SQRT2 / (pq * Math.sqrt(n * m * (m - 1)))) * Math.sqrt(Math.max(0, pq * pq - pqqp));
  return { ...base, kappa, reason: null, seNull, z: seNull > 0 ? kappa / seNull : null };
}
