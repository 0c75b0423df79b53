// Plans a synthetic cohort before any voxel is made: validated options, subject ids, seeds and labels.
// Pure (no files), so the plan is testable on its own and the same seed always gives the same plan.

import { VoxlabError } from '../common/errors.js';
import { SeededRandom } from '../common/random.js';
import { resolvePhantomOptions, type PhantomOptions, type ResolvedPhantomOptions } from './params.js';

/** Largest cohort generateCohort accepts (about 5 GB of files at the default grid). */
export const MAX_COHORT_SIZE = 2000;

/** Names of the two classes, by label. */
export const CLASS_NAMES = ['control', 'lesion'] as const;

/** What generateCohort is asked for. */
export interface CohortOptions extends PhantomOptions {
  /** Number of subjects, an integer in [1, MAX_COHORT_SIZE]. */
  readonly n: number;
  /** Cohort seed, a safe integer: the same seed and options give byte-identical files. */
  readonly seed: number;
  /** Fraction of class-1 (lesion) subjects in [0, 1]; round(n * classBalance) of them. Default 0.5. */
  readonly classBalance?: number;
}

/** One planned subject. */
export interface PlannedSubject {
  readonly index: number;
  /** 'synth_000', 'synth_001', ... (at least three digits). */
  readonly subject: string;
  /** The subject's own seed, for generatePhantom. */
  readonly seed: number;
  readonly label: 0 | 1;
}

export interface CohortPlan {
  readonly n: number;
  readonly seed: number;
  readonly classBalance: number;
  readonly options: ResolvedPhantomOptions;
  readonly subjects: readonly PlannedSubject[];
}

function fail(message: string, details?: Record<string, unknown>): never {
  throw new VoxlabError('BAD_ARGUMENT', message, details);
}

/**
 * Checks the options and plans the cohort: subject seeds are forked in order from the cohort seed, then
 * round(n * classBalance) labels of 1 are shuffled among the subjects with a separate stream.
 * Throws VoxlabError BAD_ARGUMENT naming the bad value (n ≤ 0, a fraction, a bad seed or balance, a bad
 * phantom option).
 */
export function planCohort(options: CohortOptions): CohortPlan {
  if (typeof options !== 'object' || options === null) fail('generateCohort: options must be an object');
  const { n, seed } = options;
  if (!Number.isInteger(n) || n < 1 || n > MAX_COHORT_SIZE) {
    fail(`generateCohort: n must be an integer in [1, ${MAX_COHORT_SIZE}], got ${String(n)}`, { n });
  }
  if (!Number.isSafeInteger(seed))
    fail(`generateCohort: seed must be a safe integer, got ${String(seed)}`, { seed });
  const classBalance = options.classBalance ?? 0.5;
  if (typeof classBalance !== 'number' || !(classBalance >= 0 && classBalance <= 1)) {
    fail(`generateCohort: classBalance must be a number in [0, 1], got ${String(classBalance)}`, {
      classBalance,
    });
  }
  const resolved = resolvePhantomOptions(options);

  const root = new SeededRandom(seed);
  const labelRng = root.fork();
  const seeds = Array.from({ length: n }, () => root.int(0, 2 ** 31));
  const positives = Math.round(n * classBalance);
  const labels = labelRng.shuffle(Array.from({ length: n }, (_, i): 0 | 1 => (i < positives ? 1 : 0)));
  const digits = Math.max(3, String(n - 1).length);
  const subjects = seeds.map((s, i) => ({
    index: i,
    subject: `synth_${String(i).padStart(digits, '0')}`,
    seed: s,
    label: labels[i]!,
  }));
  return { n, seed, classBalance, options: resolved, subjects };
}
