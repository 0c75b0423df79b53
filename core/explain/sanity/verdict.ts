// The verdict of a saliency sanity check (Adebayo et al., NeurIPS 2018), in one rule and in words, stored
// with the map (explain params `sanity`, the API's MapSummary.sanity) so the app shows it beside the map.

import type { MapComparison } from './compareMaps.js';
import type { CascadeStep } from './cascade.js';

/**
 * The rank correlation below which a map counts as changed. Adebayo et al. give no threshold; 0.5 is issue
 * #16's: under half the ranking kept once every layer (or the labels) is randomized.
 */
export const SANITY_THRESHOLD = 0.5;

export type SanityVerdict = 'passed' | 'failed' | 'inconclusive';

export interface SanityOutcome {
  readonly verdict: SanityVerdict;
  /** What the verdict means, for people. */
  readonly words: string;
  /** Spearman at the cascade's last step, or null when the cascade did not run. */
  readonly lastSpearman: number | null;
  /** Spearman of the absolute values at the cascade's last step (reported, not part of the rule), or null. */
  readonly lastSpearmanAbs: number | null;
  /** Spearman between the map and the shuffled-label model's, or null when that check did not run. */
  readonly dataSpearman: number | null;
  readonly threshold: number;
}

const f = (v: number) => v.toFixed(2);

/**
 * passed: every check that ran leaves a rank correlation (Spearman of the raw values, issue #16's rule) below
 * SANITY_THRESHOLD: at the cascade's last step (every group randomized) and between the trained and the
 * shuffled-label model's maps; the words add a caution when the absolute values' correlation stays at or
 * above it (a sign flip, the magnitudes following the image). failed: one stays at or above it. inconclusive: no check ran, or the trained
 * model's own map is flat (`referenceFlat`: there is no ranking to lose).
 */
export function sanityVerdict(run: {
  readonly cascade: readonly CascadeStep[] | null;
  readonly data: MapComparison | null;
  readonly referenceFlat?: boolean;
}): SanityOutcome {
  const last = run.cascade?.at(-1)?.spearman ?? null;
  const lastAbs = run.cascade?.at(-1)?.spearmanAbs ?? null;
  const data = run.data?.spearman ?? null;
  const base = {
    lastSpearman: last,
    lastSpearmanAbs: lastAbs,
    dataSpearman: data,
    threshold: SANITY_THRESHOLD,
  };
  if (run.referenceFlat === true)
    return {
      ...base,
      verdict: 'inconclusive',
      words:
        "the trained model's map is flat (no voxel counts more than another), so there is nothing for randomization to change: explain another class or scan",
    };
  if (last === null && data === null)
    return { ...base, verdict: 'inconclusive', words: 'no sanity check ran' };
  const failures: string[] = [];
  if (last !== null && last >= SANITY_THRESHOLD)
    failures.push(
      `the map hardly changes when the model's weights are randomized (rank correlation ${f(last)} with every layer randomized): it shows the image more than the model's reasoning`,
    );
  if (data !== null && data >= SANITY_THRESHOLD)
    failures.push(
      `a model trained on shuffled labels gives nearly the same map (rank correlation ${f(data)}): the map does not depend on what the model learned from the labels`,
    );
  if (failures.length > 0) return { ...base, verdict: 'failed', words: failures.join('; and ') };
  const passed = [
    ...(last !== null
      ? [`randomizing the model's weights (rank correlation ${f(last)} at the last step)`]
      : []),
    ...(data !== null ? [`training on shuffled labels (rank correlation ${f(data)})`] : []),
  ];
  // Adebayo et al. compare absolute values too: a sign flip can hide a magnitude map that follows the image.
  const caution =
    lastAbs !== null && lastAbs >= SANITY_THRESHOLD
      ? `; but its absolute values keep rank correlation ${f(lastAbs)}: how strongly a region counts follows the image, only whether it speaks for or against the class follows the model`
      : '';
  return {
    ...base,
    verdict: 'passed',
    words: `the map changes under ${passed.join(' and under ')}: it depends on what the model learned${caution}`,
  };
}
