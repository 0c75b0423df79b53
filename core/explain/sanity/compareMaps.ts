// The three similarities of Adebayo et al. (NeurIPS 2018, Fig. 2 and 4) between a trained model's map and a
// randomized model's map of the same scan and class.

import { spearman } from './rankCorrelation.js';
import { ssim } from './ssim.js';

/** How alike two maps are: 1 = the same ranking / structure, about 0 = unrelated. */
export interface MapComparison {
  /** Spearman's rank correlation of the values (rankCorrelation.ts). */
  readonly spearman: number;
  /** Spearman's rank correlation of the absolute values (a sign flip ignored). */
  readonly spearmanAbs: number;
  /** Mean 3-D SSIM of the two maps, each scaled to [0, 1] (ssim.ts). */
  readonly ssim: number;
}

/** Compares maps `a` and `b` of `shape` ([depth, height, width], C order). Throws SHAPE_MISMATCH. */
export function compareMaps(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  shape: readonly [number, number, number],
): MapComparison {
  return { spearman: spearman(a, b), spearmanAbs: spearman(a, b, true), ssim: ssim(a, b, shape) };
}
