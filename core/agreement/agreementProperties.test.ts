// Property tests of agreement() over seeded random reader studies: perfect agreement gives 1, and no
// statistic depends on the names or order of classes, the names of readers, or the order of reads.

import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../common/random.js';
import { agreement, type AgreementReport } from './agreement.js';
import type { Read } from './readTable.js';

interface Study {
  readonly reads: Read[];
  readonly classes: string[];
  readonly readers: string[];
}

/** A random study: 20-59 scans, 2-5 readers reading random subsets, 2-4 classes, labels right with p 0.7. */
function randomStudy(seed: number, perfect = false): Study {
  const rng = new SeededRandom(seed);
  const classes = Array.from({ length: rng.int(2, 5) }, (_, i) => `class-${i}`);
  const readers = Array.from({ length: rng.int(2, 6) }, (_, i) => `reader-${i}`);
  const reads: Read[] = [];
  const scans = rng.int(20, 60);
  for (let s = 0; s < scans; s++) {
    const imageId = `scan-${s}`;
    // The first two scans are read by everyone with different classes, so kappa is defined.
    const truth = s < 2 ? s : rng.int(0, classes.length);
    for (const reader of readers) {
      if (s >= 2 && rng.next() < 0.3) continue;
      const k = perfect || rng.next() < 0.7 ? truth : rng.int(0, classes.length);
      reads.push({ imageId, reader, label: classes[k]! });
    }
  }
  return { reads, classes, readers };
}

/** The headline numbers, for comparing reports that must agree. */
function headline(r: AgreementReport) {
  return {
    percent: r.percentAgreement,
    cohen: [r.cohen.kappa, r.cohen.se, r.cohen.seNull, r.cohen.ci],
    fleiss: [r.fleiss.kappa, r.fleiss.seNull, r.fleiss.scansUsed],
    alpha: r.krippendorff.alpha,
    pairs: r.pairs.map((p) => [p.scans, p.percentAgreement, p.cohen.kappa, p.cohen.se]),
    disagreements: r.disagreements.map((d) => d.imageId),
  };
}

function expectClose(a: unknown, b: unknown): void {
  if (typeof a === 'number' && typeof b === 'number') expect(a).toBeCloseTo(b, 10);
  else if (Array.isArray(a) && Array.isArray(b)) {
    expect(a.length).toBe(b.length);
    a.forEach((v, i) => expectClose(v, b[i]));
  } else if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    for (const key of Object.keys(a))
      expectClose((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]);
  } else expect(a).toEqual(b);
}

const seeds = [1, 2, 3, 4, 5, 6, 7, 8];

describe('agreement properties over random studies', () => {
  it.each(seeds)(
    'perfect agreement gives kappa, Fleiss kappa and alpha 1, no disagreement (seed %i)',
    (seed) => {
      const { reads, classes, readers } = randomStudy(seed, true);
      const r = agreement(reads, classes);
      if (readers.length === 2) expect(r.cohen.kappa).toBeCloseTo(1, 12);
      expect(r.fleiss.kappa).toBeCloseTo(1, 12);
      expect(r.krippendorff.alpha).toBeCloseTo(1, 12);
      expect(r.percentAgreement.pairwise).toBe(1);
      expect(r.disagreements).toEqual([]);
      for (const p of r.pairs) expect(p.cohen.kappa).toBeCloseTo(1, 12);
      for (const c of r.perClass) if (c.fleiss.kappa !== null) expect(c.fleiss.kappa).toBeCloseTo(1, 12);
    },
  );

  it.each(seeds)('is invariant to renaming and reordering the classes (seed %i)', (seed) => {
    const { reads, classes } = randomStudy(seed);
    const rename = (c: string) => `renamed-${classes.length - classes.indexOf(c)}`;
    const renamedClasses = [...classes].reverse().map(rename);
    const renamed = agreement(
      reads.map((read) => ({ ...read, label: rename(read.label) })),
      renamedClasses,
    );
    const original = agreement(reads, classes);
    expectClose(headline(renamed), headline(original));
    for (const c of original.perClass) {
      const twin = renamed.perClass.find((t) => t.className === rename(c.className))!;
      expectClose(
        [twin.reads, twin.specificAgreement, twin.fleiss, twin.cohen],
        [c.reads, c.specificAgreement, c.fleiss, c.cohen],
      );
    }
  });

  it.each(seeds)(
    'is symmetric in the readers: reversed reader order transposes each confusion matrix only (seed %i)',
    (seed) => {
      const { reads, classes, readers } = randomStudy(seed);
      // Names that sort the other way round, so every pair's reader A becomes reader B.
      const rename = (reader: string) => `${String.fromCharCode(122 - readers.indexOf(reader))}-${reader}`;
      const original = agreement(reads, classes);
      const swapped = agreement(
        reads.map((read) => ({ ...read, reader: rename(read.reader) })),
        classes,
      );
      expectClose(
        [swapped.cohen.kappa, swapped.cohen.se, swapped.cohen.ci],
        [original.cohen.kappa, original.cohen.se, original.cohen.ci],
      );
      expectClose(
        [swapped.fleiss.kappa, swapped.krippendorff.alpha],
        [original.fleiss.kappa, original.krippendorff.alpha],
      );
      for (const p of original.pairs) {
        const twin = swapped.pairs.find(
          (t) => t.readers[0] === rename(p.readers[1]) && t.readers[1] === rename(p.readers[0]),
        )!;
        expect(twin.confusion).toEqual(p.confusion.map((_, j) => p.confusion.map((row) => row[j])));
        expectClose(twin.cohen, p.cohen);
      }
    },
  );

  it.each(seeds)('does not depend on the order of the reads (seed %i)', (seed) => {
    const { reads, classes } = randomStudy(seed);
    const rng = new SeededRandom(seed + 1000);
    const shuffled = [...reads];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = rng.int(0, i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    expect(agreement(shuffled, classes)).toEqual(agreement(reads, classes));
  });

  it.each(seeds)('kappas lie in [-1, 1] and intervals hold their kappa (seed %i)', (seed) => {
    const { reads, classes } = randomStudy(seed);
    const r = agreement(reads, classes);
    for (const p of r.pairs) {
      const { kappa, ci } = p.cohen;
      if (kappa === null || ci === null) continue;
      expect(kappa).toBeGreaterThanOrEqual(-1);
      expect(kappa).toBeLessThanOrEqual(1);
      expect(ci.lower).toBeLessThanOrEqual(kappa);
      expect(ci.upper).toBeGreaterThanOrEqual(kappa);
    }
  });
});
