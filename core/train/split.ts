// Stratified train/validation splits and k-fold cross-validation folds, seeded so the same study and seed
// always give the same split (scikit-learn's StratifiedShuffleSplit / StratifiedKFold ideas, our own code).

import { VoxlabError } from '../common/errors.js';
import { SeededRandom } from '../common/random.js';

/** Indices into the caller's item list, each sorted ascending. */
export interface Split {
  readonly train: readonly number[];
  readonly val: readonly number[];
}

/** Item indices per class, in item order. `classOf[i]` is item i's class index (integer >= 0). */
function byClass(classOf: readonly number[]): number[][] {
  const groups: number[][] = [];
  classOf.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0)
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `split: class index of item ${i} must be an integer >= 0, got ${c}`,
      );
    (groups[c] ??= []).push(i);
  });
  return groups; // sparse when a class index is unused: forEach skips the holes and keeps the indices
}

const nameOf = (names: readonly string[] | undefined, c: number): string =>
  names?.[c] !== undefined ? `"${names[c]}"` : `${c}`;

/**
 * Holds out round(n_c * valFraction) items of each class c for validation, at least 1 and at most n_c - 1,
 * so every class is in both parts. Items are drawn by a seeded shuffle per class, classes in index order.
 * Throws TRAIN_DATA_INVALID when a class has fewer than 2 items (it cannot be in both parts), BAD_ARGUMENT
 * for a valFraction outside (0, 1).
 */
export function stratifiedSplit(
  classOf: readonly number[],
  valFraction: number,
  seed: number,
  classNames?: readonly string[],
): Split {
  if (!(valFraction > 0 && valFraction < 1))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `stratifiedSplit: valFraction must be in (0, 1), got ${valFraction}`,
    );
  const rng = new SeededRandom(seed);
  const train: number[] = [];
  const val: number[] = [];
  byClass(classOf).forEach((members, c) => {
    if (members.length < 2) {
      throw new VoxlabError(
        'TRAIN_DATA_INVALID',
        `Too few images to split: class ${nameOf(classNames, c)} has ${members.length} labeled image(s); each class needs at least 2 (one to train on, one to validate)`,
        { classIndex: c, count: members.length },
      );
    }
    const shuffled = rng.fork().shuffle([...members]);
    const nVal = Math.min(members.length - 1, Math.max(1, Math.round(members.length * valFraction)));
    val.push(...shuffled.slice(0, nVal));
    train.push(...shuffled.slice(nVal));
  });
  return { train: train.sort((a, b) => a - b), val: val.sort((a, b) => a - b) };
}

/**
 * k stratified folds: each class's items are shuffled (seeded) and dealt round-robin over the folds,
 * continuing where the previous class stopped so fold sizes differ by at most one. Fold f validates on
 * its own items and trains on all the others; every item is validated exactly once.
 * Throws BAD_ARGUMENT for k < 2, TRAIN_DATA_INVALID when a class has fewer than k items (a fold would miss it).
 */
export function stratifiedKFold(
  classOf: readonly number[],
  k: number,
  seed: number,
  classNames?: readonly string[],
): Split[] {
  if (!Number.isInteger(k) || k < 2)
    throw new VoxlabError('BAD_ARGUMENT', `stratifiedKFold: k must be a whole number >= 2, got ${k}`);
  const rng = new SeededRandom(seed);
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  byClass(classOf).forEach((members, c) => {
    if (members.length < k) {
      throw new VoxlabError(
        'TRAIN_DATA_INVALID',
        `Too few images for ${k} folds: class ${nameOf(classNames, c)} has ${members.length} labeled image(s); each class needs at least ${k}`,
        { classIndex: c, count: members.length, folds: k },
      );
    }
    for (const i of rng.fork().shuffle([...members])) {
      folds[next]!.push(i);
      next = (next + 1) % k;
    }
  });
  return folds.map((val, f) => ({
    train: folds.flatMap((items, g) => (g === f ? [] : items)).sort((a, b) => a - b),
    val: [...val].sort((a, b) => a - b),
  }));
}
