// Cohen's kappa for two readers from their k x k contingency table (Cohen 1960), with the large-sample
// standard errors of Fleiss, Cohen & Everitt (1969): the one for a confidence interval and the one under
// the null hypothesis kappa = 0 for a z test. These are the formulas SAS PROC FREQ (AGREE) documents.

import { VoxlabError } from '../common/errors.js';

/** A two-sided confidence interval; `level` is its coverage (0.95 for a 95% interval). */
export interface Interval {
  readonly lower: number;
  readonly upper: number;
  readonly level: number;
}

/** The confidence levels offered, with their two-sided standard normal quantiles z_(1-(1-level)/2). */
export const Z_FOR_LEVEL = {
  0.9: 1.6448536269514722,
  0.95: 1.959963984540054,
  0.99: 2.5758293035489004,
} as const;
export type ConfidenceLevel = keyof typeof Z_FOR_LEVEL;

/**
 * Cohen's kappa of two readers over the scans both read. Every number is null, with `reason` saying
 * why in words, where it is undefined for the data (never NaN), so the object survives JSON.
 */
export interface CohenKappa {
  /** Scans both readers read (N, the table's total). */
  readonly scans: number;
  /** Observed agreement p_o: the fraction of those scans both gave the same class. */
  readonly observed: number | null;
  /** Chance agreement p_e = sum_i p_i. p_.i from each reader's own class frequencies. */
  readonly expected: number | null;
  /** (p_o - p_e) / (1 - p_e), in [-1, 1]. */
  readonly kappa: number | null;
  /** Why `kappa` is null; null when it is a number. */
  readonly reason: string | null;
  /** Large-sample standard error (Fleiss, Cohen & Everitt 1969, non-null variance). */
  readonly se: number | null;
  /** Wald interval kappa ± z·se, clipped to [-1, 1]. Large-sample: rough below a few dozen scans. */
  readonly ci: Interval | null;
  /** Standard error under H0: kappa = 0 (Fleiss, Cohen & Everitt 1969). */
  readonly seNull: number | null;
  /** kappa / seNull: the z statistic of the test of kappa = 0. */
  readonly z: number | null;
}

function undefinedKappa(
  scans: number,
  observed: number | null,
  expected: number | null,
  reason: string,
): CohenKappa {
  return { scans, observed, expected, kappa: null, reason, se: null, ci: null, seNull: null, z: null };
}

function checkTable(table: readonly (readonly number[])[]): void {
  const k = table.length;
  const square = k > 0 && table.every((row) => Array.isArray(row) && row.length === k);
  if (!square)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `cohenKappaFromTable: the table must be square and non-empty, got ${k} rows`,
    );
  for (const row of table) {
    for (const v of row) {
      if (!(Number.isInteger(v) && v >= 0))
        throw new VoxlabError(
          'BAD_ARGUMENT',
          `cohenKappaFromTable: counts must be non-negative integers, got ${v}`,
        );
    }
  }
}

/** Clips a Wald interval to kappa's range [-1, 1]. */
export function waldInterval(value: number, se: number, level: ConfidenceLevel): Interval {
  const half = Z_FOR_LEVEL[level] * se;
  return { lower: Math.max(-1, value - half), upper: Math.min(1, value + half), level };
}

/**
 * Non-null and null variances of kappa (Fleiss, Cohen & Everitt 1969, "Large sample standard errors of
 * kappa and weighted kappa", Psychological Bulletin 72(5):323-327; as written in the SAS PROC FREQ
 * documentation, "Simple Kappa Coefficient"), with p the table as proportions, r row and c column sums:
 *   var   = (A + B - C) / (N (1 - p_e)^2),  A = sum_i p_ii [1 - (r_i + c_i)(1 - kappa)]^2,
 *           B = (1 - kappa)^2 sum_{i != j} p_ij (c_i + r_j)^2,  C = [kappa - p_e (1 - kappa)]^2
 *   var_0 = [p_e + p_e^2 - sum_i r_i c_i (r_i + c_i)] / (N (1 - p_e)^2)
 */
function kappaVariances(
  p: readonly (readonly number[])[],
  r: readonly number[],
  c: readonly number[],
  n: number,
  kappa: number,
  pe: number,
) {
  let a = 0;
  let b = 0;
  let null0 = pe + pe * pe;
  p.forEach((row, i) => {
    row.forEach((pij, j) => {
      if (i === j) a += pij * (1 - (r[i]! + c[i]!) * (1 - kappa)) ** 2;
      else b += pij * (c[i]! + r[j]!) ** 2;
    });
    null0 -= r[i]! * c[i]! * (r[i]! + c[i]!);
  });
  b *= (1 - kappa) ** 2;
  const cc = (kappa - pe * (1 - kappa)) ** 2;
  const denominator = n * (1 - pe) ** 2;
  // Both are sums of squares in exact arithmetic; rounding can leave -1e-17, which is 0.
  return {
    variance: Math.max(0, (a + b - cc) / denominator),
    varianceNull: Math.max(0, null0 / denominator),
  };
}

/**
 * Cohen's kappa from a k x k table of counts: `table[i][j]` scans reader A put in class i and reader B in
 * class j (rows reader A, columns reader B). Symmetric in the readers (the transpose gives the same
 * numbers). Kappa is null with a reason when no scan is in the table, or when chance agreement is 1
 * (both readers gave every scan the one same class: kappa is 0/0). Throws BAD_ARGUMENT for a table that
 * is not square or holds anything but non-negative integers.
 */
export function cohenKappaFromTable(
  table: readonly (readonly number[])[],
  level: ConfidenceLevel = 0.95,
): CohenKappa {
  checkTable(table);
  const n = table.reduce((s, row) => s + row.reduce((t, v) => t + v, 0), 0);
  if (n === 0) return undefinedKappa(0, null, null, 'no scan was read by both readers');
  const p = table.map((row) => row.map((v) => v / n));
  const r = p.map((row) => row.reduce((s, v) => s + v, 0));
  const c = p.map((_, j) => p.reduce((s, row) => s + row[j]!, 0));
  const observed = p.reduce((s, row, i) => s + row[i]!, 0);
  const expected = r.reduce((s, ri, i) => s + ri * c[i]!, 0);
  // p_e = 1 exactly when one class holds every read of both readers; allow for rounding in the sums.
  if (expected > 1 - 1e-12) {
    return undefinedKappa(
      n,
      observed,
      expected,
      'both readers gave every scan the same class, so chance agreement is 1 and kappa is 0/0',
    );
  }
  const kappa = (observed - expected) / (1 - expected);
  const { variance, varianceNull } = kappaVariances(p, r, c, n, kappa, expected);
  const se = Math.sqrt(variance);
  const seNull = Math.sqrt(varianceNull);
  return {
    scans: n,
    observed,
    expected,
    kappa,
    reason: null,
    se,
    ci: waldInterval(kappa, se, level),
    seNull,
    z: seNull > 0 ? kappa / seNull : null,
  };
}
