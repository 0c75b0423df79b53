// Inter-reader agreement of a reader study (issue #13): percent agreement, Cohen's kappa (two readers),
// Fleiss' kappa (any number), Krippendorff's alpha (missing reads allowed), per class and per reader
// pair, and the scans the readers disagree on. One pure function; the result is plain JSON.

import { VoxlabError } from '../common/errors.js';
import { cohenKappaFromTable, Z_FOR_LEVEL, type CohenKappa, type ConfidenceLevel } from './cohenKappa.js';
import { scanAgreement, type FleissClassKappa } from './fleissKappa.js';
import { fleissOverScans, type FleissReport } from './fleissOverScans.js';
import { krippendorffAlpha, type KrippendorffAlpha } from './krippendorffAlpha.js';
import { buildReadTable, type Read, type ReadTable } from './readTable.js';
import { oneVsRest, readerPairs, type ReaderPair } from './readerPairs.js';

export interface AgreementOptions {
  /** Coverage of the confidence intervals: 0.9, 0.95 (default) or 0.99. */
  readonly confidence?: ConfidenceLevel;
  /** Fleiss' kappa over the scans read exactly this many times (default: the most common count >= 2). */
  readonly fleissReadsPerScan?: number;
}

export interface AgreementCounts {
  /** Distinct scans with at least one read. */
  readonly scans: number;
  readonly reads: number;
  readonly readers: number;
  readonly scansWithTwoOrMoreReads: number;
  /** How many scans have each number of reads, by ascending number of reads. */
  readonly readsPerScan: readonly { readonly reads: number; readonly scans: number }[];
}

/** Observed agreement over the scans with two or more reads. */
export interface PercentAgreement {
  readonly scans: number;
  /**
   * Mean over scans of the fraction of agreeing pairs of reads, sum_j n_ij(n_ij - 1) / (m_i(m_i - 1))
   * (Fleiss 1971's P_i, allowing m_i to vary): for two readers, the fraction of scans they agree on.
   */
  readonly pairwise: number | null;
  /** Fraction of scans on which every read is the same class. */
  readonly unanimous: number | null;
  readonly reason: string | null;
}

/** Agreement on one class. */
export interface ClassAgreement {
  readonly className: string;
  /** Reads of this class, over all scans. */
  readonly reads: number;
  /**
   * Specific agreement: of the pairs of reads of one scan that involve this class, the fraction where
   * both reads are this class, sum_i n_ij(n_ij - 1) / sum_i n_ij(m_i - 1) over scans with two or more
   * reads (Fleiss 1971's conditional probability that a second read is class j given a first one is);
   * for two readers 2a / (2a + b + c), the positive specific agreement of Cicchetti & Feinstein (1990,
   * J Clin Epidemiol 43(6):551-558). Null when the class has no read on a scan read twice or more.
   */
  readonly specificAgreement: number | null;
  /** Fleiss' kappa_j over the scans Fleiss' kappa used. */
  readonly fleiss: FleissClassKappa;
  /** Two readers only: Cohen's kappa of the 2 x 2 table "this class or not"; otherwise null with a reason. */
  readonly cohen: CohenKappa;
}

/** A scan on which the readers did not all give the same class. */
export interface Disagreement {
  readonly imageId: string;
  /** Each reader's class, readers in code-point order. */
  readonly labels: readonly { readonly reader: string; readonly label: string }[];
}

/** Everything `agreement` reports. JSON-serialisable: no NaN, no undefined, no Map. */
export interface AgreementReport {
  readonly classes: readonly string[];
  readonly readers: readonly string[];
  /** The coverage of every confidence interval in the report. */
  readonly confidence: ConfidenceLevel;
  readonly counts: AgreementCounts;
  readonly percentAgreement: PercentAgreement;
  /** Cohen's kappa when the study has exactly two readers, over the scans both read; else null with a reason. */
  readonly cohen: CohenKappa & { readonly readers: readonly string[] };
  readonly fleiss: FleissReport;
  readonly krippendorff: KrippendorffAlpha;
  readonly perClass: readonly ClassAgreement[];
  /** Every pair of readers, with its confusion matrix and Cohen's kappa. */
  readonly pairs: readonly ReaderPair[];
  /** Scans with two or more reads that are not unanimous, by imageId. */
  readonly disagreements: readonly Disagreement[];
}

function notComputed(reason: string): CohenKappa {
  return {
    scans: 0,
    observed: null,
    expected: null,
    kappa: null,
    reason,
    se: null,
    ci: null,
    seNull: null,
    z: null,
  };
}

function countReads(table: ReadTable): AgreementCounts {
  const histogram = new Map<number, number>();
  for (const scan of table.scans) histogram.set(scan.labels.size, (histogram.get(scan.labels.size) ?? 0) + 1);
  const readsPerScan = [...histogram.entries()]
    .sort(([a], [b]) => a - b)
    .map(([reads, scans]) => ({ reads, scans }));
  return {
    scans: table.scans.length,
    reads: table.reads,
    readers: table.readers.length,
    scansWithTwoOrMoreReads: table.scans.filter((s) => s.labels.size >= 2).length,
    readsPerScan,
  };
}

function percentAgreement(table: ReadTable): PercentAgreement {
  const multi = table.scans.filter((s) => s.labels.size >= 2);
  if (multi.length === 0)
    return { scans: 0, pairwise: null, unanimous: null, reason: 'no scan has two or more reads' };
  let pairwise = 0;
  let unanimous = 0;
  for (const { counts, labels } of multi) {
    pairwise += scanAgreement(counts);
    if (counts.includes(labels.size)) unanimous += 1;
  }
  return {
    scans: multi.length,
    pairwise: pairwise / multi.length,
    unanimous: unanimous / multi.length,
    reason: null,
  };
}

function specificAgreement(table: ReadTable, j: number): number | null {
  let agreeing = 0;
  let involving = 0;
  for (const { counts, labels } of table.scans) {
    if (labels.size < 2) continue;
    const v = counts[j]!;
    agreeing += v * (v - 1);
    involving += v * (labels.size - 1);
  }
  return involving > 0 ? agreeing / involving : null;
}

function perClass(
  table: ReadTable,
  fleiss: FleissReport,
  pairs: readonly ReaderPair[],
  level: ConfidenceLevel,
): ClassAgreement[] {
  const twoReaders = table.readers.length === 2 ? pairs[0] : undefined;
  return table.classes.map((className, j) => ({
    className,
    reads: table.scans.reduce((s, scan) => s + scan.counts[j]!, 0),
    specificAgreement: specificAgreement(table, j),
    fleiss: fleiss.perClass[j]!,
    cohen: twoReaders
      ? cohenKappaFromTable(oneVsRest(twoReaders.confusion, j), level)
      : notComputed(
          `Cohen's kappa is for exactly two readers; this study has ${table.readers.length} (see Fleiss' kappa)`,
        ),
  }));
}

function disagreements(table: ReadTable): Disagreement[] {
  return table.scans
    .filter((s) => s.labels.size >= 2 && !s.counts.includes(s.labels.size))
    .map((s) => ({
      imageId: s.imageId,
      labels: [...s.labels].map(([reader, k]) => ({ reader, label: table.classes[k]! })),
    }));
}

/**
 * Agreement between the readers of a reader study. `reads` holds each reader's current class of each
 * scan they read (a scan may have 1..n reads; readers may read different subsets); `classes` the
 * study's class names. Throws VoxlabError BAD_ARGUMENT when a label is not in `classes`, when a reader
 * read a scan twice, when `classes` is empty or repeats a name, or when an option is out of range.
 * Statistics that are undefined for the data (no scan read twice, one class used by everyone) are null
 * with a reason in words, never NaN.
 */
export function agreement(
  reads: readonly Read[],
  classes: readonly string[],
  options: AgreementOptions = {},
): AgreementReport {
  const level = options.confidence ?? 0.95;
  if (!(level in Z_FOR_LEVEL))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `agreement: confidence must be 0.9, 0.95 or 0.99, got ${String(level)}`,
    );
  const table = buildReadTable(reads, classes);
  const pairs = readerPairs(table, level);
  const fleiss = fleissOverScans(table, options.fleissReadsPerScan);
  const cohen =
    table.readers.length === 2
      ? pairs[0]!.cohen
      : notComputed(
          `Cohen's kappa is for exactly two readers; this study has ${table.readers.length}${table.readers.length > 2 ? " (see pairs and Fleiss' kappa)" : ''}`,
        );
  return {
    classes: table.classes,
    readers: table.readers,
    confidence: level,
    counts: countReads(table),
    percentAgreement: percentAgreement(table),
    cohen: { readers: table.readers.length === 2 ? table.readers : [], ...cohen },
    fleiss,
    krippendorff: krippendorffAlpha(table.scans.map((s) => s.counts)),
    perClass: perClass(table, fleiss, pairs, level),
    pairs,
    disagreements: disagreements(table),
  };
}
