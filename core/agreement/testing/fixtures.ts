// Published worked examples of agreement statistics, and converters from their tables to reads, for the
// tests of core/agreement. Each dataset names where its data and its published numbers come from.

import type { Read } from '../readTable.js';

/**
 * Wikipedia, "Cohen's kappa", first worked example: 50 grant proposals, two readers, yes/no;
 * both yes 20, A yes B no 5, A no B yes 10, both no 15. Published: p_o = 0.7, p_e = 0.5, kappa = 0.4.
 */
export const WIKIPEDIA_COHEN = {
  classes: ['yes', 'no'],
  table: [
    [20, 5],
    [10, 15],
  ],
} as const;

/**
 * Wikipedia, "Cohen's kappa", "same percentages but different numbers": both tables have p_o = 0.60 on
 * 100 subjects. Published: kappa = 0.1304 and 0.2593 (4 decimals).
 */
export const WIKIPEDIA_COHEN_SAME_PERCENTAGES = [
  {
    table: [
      [45, 15],
      [25, 15],
    ],
    kappa: 0.1304,
  },
  {
    table: [
      [25, 35],
      [5, 35],
    ],
    kappa: 0.2593,
  },
] as const;

/**
 * A 3 x 3 table with SAS PROC FREQ (AGREE, TEST KAPPA) output, recorded in statsmodels'
 * statsmodels/stats/tests/test_inter_rater.py (TestUnweightedCohens, "comparison to printout of a SAS
 * example"): kappa 0.4842, ASE 0.1380, 95% limits 0.2137 and 0.7547, ASE under H0 0.1484, Z 3.2626.
 */
export const SAS_TABLE = {
  table: [
    [0, 4, 1],
    [0, 8, 0],
    [0, 1, 5],
  ],
  kappa: 0.4842,
  se: 0.138,
  lower: 0.2137,
  upper: 0.7547,
  seNull: 0.1484,
  z: 3.2626,
} as const;

/**
 * Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters each, 5 categories; n_ij per row.
 * Published: P_i per row, p_j = 0.143 0.200 0.279 0.150 0.229, P-bar = 0.378, P-bar_e = 0.213, kappa = 0.210.
 */
export const WIKIPEDIA_FLEISS = {
  counts: [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
  ],
  scanAgreement: [1.0, 0.253, 0.308, 0.44, 0.33, 0.462, 0.242, 0.176, 0.286, 0.286],
  proportions: [0.143, 0.2, 0.279, 0.15, 0.229],
  observed: 0.378,
  expected: 0.213,
  kappa: 0.21,
} as const;

/**
 * Fleiss (1971), Table 1: psychiatric diagnoses of 30 patients, 6 diagnoses each, in the rater-by-rater
 * layout of R irr's `diagnoses` data set (1 Depression, 2 Personality disorder, 3 Schizophrenia,
 * 4 Neurosis, 5 Other), as copied into statsmodels' test_inter_rater.py. Published: kappa 0.430
 * (Fleiss 1971); R irr kappam.fleiss: 0.4302445 with z = 17.65183 (Fleiss, Nee & Landis 1979 SE),
 * recorded in statsmodels' test_fleiss_kappa_irr; per-category kappas .245 .245 .520 .471 .566 (Fleiss
 * 1971; irr detail = TRUE), to 15 digits 0.244755244755245, 0.244755244755245, 0.52,
 * 0.471127272727273, 0.566117806823969 in JASP's raterAgreement tests.
 */
export const FLEISS_1971 = {
  classes: ['depression', 'personality disorder', 'schizophrenia', 'neurosis', 'other'],
  ratings: [
    [4, 4, 4, 4, 4, 4],
    [2, 2, 2, 5, 5, 5],
    [2, 3, 3, 3, 3, 5],
    [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4],
    [1, 1, 3, 3, 3, 3],
    [3, 3, 3, 3, 5, 5],
    [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4],
    [5, 5, 5, 5, 5, 5],
    [1, 4, 4, 4, 4, 4],
    [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3],
    [1, 4, 4, 4, 4, 4],
    [2, 2, 4, 4, 4, 5],
    [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5],
    [1, 1, 1, 1, 1, 2],
    [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5],
    [2, 4, 4, 4, 4, 4],
    [2, 2, 4, 5, 5, 5],
    [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5],
    [2, 2, 2, 2, 2, 4],
    [1, 1, 1, 1, 5, 5],
    [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3],
    [5, 5, 5, 5, 5, 5],
  ],
  kappa: 0.4302445,
  z: 17.65183,
  perClass: [0.244755244755245, 0.244755244755245, 0.52, 0.471127272727273, 0.566117806823969],
} as const;

/**
 * Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section A: binary data, two
 * observers, no missing data, 10 units (rows observers, columns units). Published: alpha = 0.095.
 */
export const KRIPPENDORFF_BINARY = {
  data: [
    [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
  ],
  alpha: 0.095,
} as const;

/**
 * Krippendorff (2011), section C: nominal data, 4 observers, 12 units, missing values (null). Published:
 * nominal alpha = 0.743 (the same data give ordinal 0.815 and ratio 0.797 in section D and in the tests
 * of the krippendorff Python package).
 */
export const KRIPPENDORFF_MISSING = {
  data: [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
    [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
  ],
  alpha: 0.743,
} as const;

/**
 * Wikipedia, "Krippendorff's alpha", computational example: 3 coders, 15 units, missing values. Nominal
 * alpha 0.691358 (to 6 decimals) in the tests of the krippendorff Python package
 * (pln-fing-udelar/fast-krippendorff, test_nominal_metric_reliability_data).
 */
export const WIKIPEDIA_KRIPPENDORFF = {
  data: [
    [null, null, null, null, null, 3, 4, 1, 2, 1, 1, 3, 3, null, 3],
    [1, null, 2, 1, 3, 3, 4, 3, null, null, null, null, null, null, null],
    [null, null, 2, 1, 3, 4, 4, null, 2, 1, 1, 3, 3, null, 4],
  ],
  alpha: 0.691358,
} as const;

/** Reads of two readers that reproduce a k x k table: `table[i][j]` scans with A = classes[i], B = classes[j]. */
export function readsFromTable(
  table: readonly (readonly number[])[],
  classes: readonly string[],
  readers: readonly [string, string] = ['A', 'B'],
): Read[] {
  const reads: Read[] = [];
  let scan = 0;
  table.forEach((row, i) =>
    row.forEach((count, j) => {
      for (let c = 0; c < count; c++) {
        const imageId = `scan-${String(++scan).padStart(4, '0')}`;
        reads.push(
          { imageId, reader: readers[0], label: classes[i]! },
          { imageId, reader: readers[1], label: classes[j]! },
        );
      }
    }),
  );
  return reads;
}

/** Reads from a rater-by-unit matrix (rows readers r1.., columns scans, null = not read); values index `classes` from `base`. */
export function readsFromMatrix(
  data: readonly (readonly (number | null)[])[],
  classes: readonly string[],
  base = 1,
): Read[] {
  const reads: Read[] = [];
  data.forEach((row, r) =>
    row.forEach((v, u) => {
      if (v !== null)
        reads.push({
          imageId: `unit-${String(u + 1).padStart(2, '0')}`,
          reader: `r${r + 1}`,
          label: classes[v - base]!,
        });
    }),
  );
  return reads;
}

/** Reads from a subject-by-rating matrix (rows scans, each entry one read by readers r1..rm in order). */
export function readsFromRatings(
  ratings: readonly (readonly number[])[],
  classes: readonly string[],
  base = 1,
): Read[] {
  return readsFromMatrix(
    ratings[0]!.map((_, r) => ratings.map((row) => row[r]!)),
    classes,
    base,
  );
}

/** Reads from Fleiss count rows: scan i gets counts[i][j] reads of class j, from readers r1..rm in order. */
export function readsFromCounts(counts: readonly (readonly number[])[], classes: readonly string[]): Read[] {
  const ratings = counts.map((row) => row.flatMap((n, j) => new Array<number>(n).fill(j)));
  return readsFromRatings(ratings, classes, 0);
}
