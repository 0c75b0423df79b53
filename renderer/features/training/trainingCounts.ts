// What a training run will learn from, before it starts: the study's scans with a class label, per class,
// and how many of each the validation split holds out (core/train: labeledImages + stratifiedSplit), with the
// problems core/train would refuse the run for, in words.

/** One class: its labeled scans and how the split divides them. */
export interface ClassCount {
  readonly name: string;
  readonly total: number;
  /** Held out for validation: round(total * valFraction), at least 1 and at most total - 1 (0 if total < 2). */
  readonly val: number;
  readonly train: number;
}

export interface TrainingCounts {
  /** In the study's class order, then any other label seen (sorted); classes without scans included. */
  readonly classes: readonly ClassCount[];
  readonly total: number;
  readonly val: number;
  /** Why training would be refused (no labels, one class, a class with fewer than 2 scans, bad fraction). */
  readonly problems: readonly string[];
}

/**
 * Counts the images whose current class label is set (unlabeled and prediction-only images are not used).
 * `classes`: the study's class names in display order. `valFraction` in (0, 1) as the form holds it.
 */
export function trainingCounts(
  images: readonly { readonly label: string | null }[],
  classes: readonly string[],
  valFraction: number,
): TrainingCounts {
  const byName = new Map<string, number>(classes.map((c) => [c, 0]));
  for (const { label } of images) if (label !== null) byName.set(label, (byName.get(label) ?? 0) + 1);
  const extra = [...byName.keys()].filter((c) => !classes.includes(c)).sort();
  const fractionOk = valFraction > 0 && valFraction < 1;
  const rows = [...classes, ...extra].map((name): ClassCount => {
    const total = byName.get(name) ?? 0;
    const val =
      total < 2 || !fractionOk ? 0 : Math.min(total - 1, Math.max(1, Math.round(total * valFraction)));
    return { name, total, val, train: total - val };
  });
  const used = rows.filter((r) => r.total > 0);
  const problems: string[] = [];
  if (!fractionOk) problems.push(`The validation fraction must be between 0 and 1 (it is ${valFraction}).`);
  if (used.length === 0)
    problems.push('No scan has a class label yet: label scans first (keys 1-9 in the Label tab).');
  else if (used.length === 1)
    problems.push(`Every labeled scan is "${used[0]!.name}": a classifier needs two classes at least.`);
  for (const r of used)
    if (r.total < 2)
      problems.push(
        `Class "${r.name}" has ${r.total} labeled scan: each class needs 2 (one to train on, one to validate).`,
      );
  return {
    classes: rows,
    total: rows.reduce((a, r) => a + r.total, 0),
    val: rows.reduce((a, r) => a + r.val, 0),
    problems,
  };
}
