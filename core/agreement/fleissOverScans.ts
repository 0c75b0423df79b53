// Fleiss' kappa over the scans of a reader study: it needs the same number of reads on every scan, so
// it is computed over the scans with one chosen number of reads, and says which scans it left out and why.

import { VoxlabError } from '../common/errors.js';
import { fleissKappa, type FleissClassKappa } from './fleissKappa.js';
import type { ReadTable } from './readTable.js';

/** A scan Fleiss' kappa did not use, and why in words. */
export interface ScanLeftOut {
  readonly imageId: string;
  readonly reads: number;
  readonly reason: string;
}

/** Fleiss' kappa of a reader study (see fleissKappa.ts for the formulas). Null numbers carry `reason`. */
export interface FleissReport {
  /** The number of reads m of every scan used; null when no scan has two or more reads. */
  readonly readsPerScan: number | null;
  readonly scansUsed: readonly string[];
  readonly scansLeftOut: readonly ScanLeftOut[];
  readonly observed: number | null;
  readonly expected: number | null;
  readonly kappa: number | null;
  readonly reason: string | null;
  /** SE under H0: kappa = 0 (Fleiss, Nee & Landis 1979); no confidence interval, see fleissKappa.ts. */
  readonly seNull: number | null;
  readonly z: number | null;
  /** Per-class kappa_j, in class order (kappa null with a reason where undefined). */
  readonly perClass: readonly FleissClassKappa[];
}

/** The most common number of reads among scans read at least twice; on a tie the larger (more reads, more information). */
function defaultReadsPerScan(table: ReadTable): number | null {
  const histogram = new Map<number, number>();
  for (const scan of table.scans)
    if (scan.labels.size >= 2) histogram.set(scan.labels.size, (histogram.get(scan.labels.size) ?? 0) + 1);
  let best: number | null = null;
  for (const [m, count] of histogram) {
    const bestCount = best === null ? 0 : histogram.get(best)!;
    if (count > bestCount || (count === bestCount && m > best!)) best = m;
  }
  return best;
}

function leftOutReason(reads: number, m: number | null, used: number): string {
  if (reads < 2) return 'read once: agreement needs two or more reads of a scan';
  return `read ${reads} times; Fleiss' kappa needs the same number of reads on every scan and uses the ${used} scan(s) read ${m} times`;
}

/**
 * Fleiss' kappa over the scans read exactly `readsPerScan` times (default: the most common number of
 * reads >= 2, the larger on a tie). Every other scan is listed in `scansLeftOut` with its reason. All
 * numbers are null with a reason when no scan has two or more reads, or when the chosen number has no
 * scan. Throws BAD_ARGUMENT when `readsPerScan` is given and is not an integer >= 2.
 */
export function fleissOverScans(table: ReadTable, readsPerScan?: number): FleissReport {
  if (readsPerScan !== undefined && !(Number.isInteger(readsPerScan) && readsPerScan >= 2))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `agreement: fleissReadsPerScan must be an integer >= 2, got ${readsPerScan}`,
    );
  const m = readsPerScan ?? defaultReadsPerScan(table);
  const used = table.scans.filter((s) => s.labels.size === m);
  const scansLeftOut = table.scans
    .filter((s) => s.labels.size !== m)
    .map((s) => ({
      imageId: s.imageId,
      reads: s.labels.size,
      reason: leftOutReason(s.labels.size, m, used.length),
    }));
  const scansUsed = used.map((s) => s.imageId);
  if (used.length === 0) {
    const reason = m === null ? 'no scan has two or more reads' : `no scan was read exactly ${m} times`;
    const perClass = table.classes.map(() => ({ proportion: 0, kappa: null, reason, seNull: null, z: null }));
    return {
      readsPerScan: m,
      scansUsed,
      scansLeftOut,
      observed: null,
      expected: null,
      kappa: null,
      reason,
      seNull: null,
      z: null,
      perClass,
    };
  }
  const stats = fleissKappa(used.map((s) => s.counts));
  return {
    readsPerScan: stats.readsPerScan,
    scansUsed,
    scansLeftOut,
    observed: stats.observed,
    expected: stats.expected,
    kappa: stats.kappa,
    reason: stats.reason,
    seNull: stats.seNull,
    z: stats.z,
    perClass: stats.perClass,
  };
}
