// Pairwise comparison of readers: for each pair, the confusion matrix over the scans both read and its
// Cohen's kappa; and the 2 x 2 one-vs-rest table of one class that per-class Cohen's kappa uses.

import { cohenKappaFromTable, type CohenKappa, type ConfidenceLevel } from './cohenKappa.js';
import type { ReadTable } from './readTable.js';

/** Two readers compared over the scans both read. */
export interface ReaderPair {
  /** [reader A, reader B], A before B in code-point order. */
  readonly readers: readonly [string, string];
  /** Scans both read. */
  readonly scans: number;
  /** confusion[i][j]: scans A labelled classes[i] and B labelled classes[j] (rows reader A, columns reader B). */
  readonly confusion: readonly (readonly number[])[];
  /** Fraction of those scans both gave the same class; null when they share no scan. */
  readonly percentAgreement: number | null;
  readonly cohen: CohenKappa;
}

/** The k x k table of the scans both `a` and `b` read: rows a's class, columns b's class. */
export function confusionMatrix(table: ReadTable, a: string, b: string): number[][] {
  const k = table.classes.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const scan of table.scans) {
    const i = scan.labels.get(a);
    const j = scan.labels.get(b);
    if (i !== undefined && j !== undefined) confusion[i]![j]! += 1;
  }
  return confusion;
}

/** Every pair of readers (r(r-1)/2 of them, also those that share no scan), in code-point order. */
export function readerPairs(table: ReadTable, level: ConfidenceLevel): ReaderPair[] {
  const pairs: ReaderPair[] = [];
  table.readers.forEach((a, ia) => {
    for (const b of table.readers.slice(ia + 1)) {
      const confusion = confusionMatrix(table, a, b);
      const cohen = cohenKappaFromTable(confusion, level);
      pairs.push({ readers: [a, b], scans: cohen.scans, confusion, percentAgreement: cohen.observed, cohen });
    }
  });
  return pairs;
}

/**
 * The 2 x 2 table "class j or not" of a k x k confusion matrix: [[both j, A j / B other], [A other /
 * B j, neither j]]. Its Cohen's kappa is the per-class (one-vs-rest) kappa of two readers.
 */
export function oneVsRest(confusion: readonly (readonly number[])[], j: number): number[][] {
  let both = 0;
  let onlyA = 0;
  let onlyB = 0;
  let total = 0;
  confusion.forEach((row, i) => {
    row.forEach((v, l) => {
      total += v;
      if (i === j && l === j) both += v;
      else if (i === j) onlyA += v;
      else if (l === j) onlyB += v;
    });
  });
  return [
    [both, onlyA],
    [onlyB, total - both - onlyA - onlyB],
  ];
}
