// The reads of a reader study, checked and grouped by scan: the one input every agreement statistic in
// core/agreement starts from. Pure data in, plain data out; no database, no UI.

import { VoxlabError } from '../common/errors.js';

/** One reader's current class for one scan. `label` must be one of the study's class names. */
export interface Read {
  readonly imageId: string;
  readonly reader: string;
  readonly label: string;
}

/** One scan and the class index each of its readers gave (index into `ReadTable.classes`). */
export interface ScanReads {
  readonly imageId: string;
  /** Reader name → class index, readers in sorted order. */
  readonly labels: ReadonlyMap<string, number>;
  /** Reads per class, indexed like `ReadTable.classes` (the n_ij row of Fleiss 1971). */
  readonly counts: readonly number[];
}

/** The reads grouped by scan. Scans and readers are sorted by code point, so results repeat exactly. */
export interface ReadTable {
  readonly classes: readonly string[];
  readonly readers: readonly string[];
  readonly scans: readonly ScanReads[];
  readonly reads: number;
}

/** Plain code-point order (not localeCompare), so the order does not depend on the machine's locale. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function checkClasses(classes: readonly string[]): Map<string, number> {
  if (!Array.isArray(classes) || classes.length === 0)
    throw new VoxlabError('BAD_ARGUMENT', 'agreement: give the class list (at least one class name)');
  const index = new Map<string, number>();
  classes.forEach((c, i) => {
    if (typeof c !== 'string' || c === '')
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `agreement: class ${i} must be a non-empty name, got ${JSON.stringify(c)}`,
      );
    if (index.has(c)) throw new VoxlabError('BAD_ARGUMENT', `agreement: class '${c}' is listed twice`);
    index.set(c, i);
  });
  return index;
}

function checkRead(read: Read, i: number, classIndex: ReadonlyMap<string, number>): number {
  if (typeof read !== 'object' || read === null)
    throw new VoxlabError('BAD_ARGUMENT', `agreement: read ${i} is not an object`);
  for (const key of ['imageId', 'reader'] as const) {
    if (typeof read[key] !== 'string' || read[key] === '')
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `agreement: read ${i} has no ${key} (got ${JSON.stringify(read[key])})`,
      );
  }
  const k = classIndex.get(read.label);
  if (k === undefined) {
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `agreement: reader '${read.reader}' labelled scan '${read.imageId}' as ${JSON.stringify(read.label)}, which is not one of the classes (${[...classIndex.keys()].join(', ')})`,
      { imageId: read.imageId, reader: read.reader, label: read.label },
    );
  }
  return k;
}

/**
 * Checks `reads` against `classes` and groups them by scan. Throws VoxlabError BAD_ARGUMENT when the
 * class list is empty or repeats a name, when a read lacks an imageId or reader, when a label is not
 * one of the classes, or when one reader read one scan twice (the caller passes only each reader's
 * current label; a second read of the same scan by the same reader is an error, even with the same label).
 */
export function buildReadTable(reads: readonly Read[], classes: readonly string[]): ReadTable {
  const classIndex = checkClasses(classes);
  if (!Array.isArray(reads))
    throw new VoxlabError('BAD_ARGUMENT', 'agreement: reads must be an array of { imageId, reader, label }');
  const byScan = new Map<string, Map<string, number>>();
  const readers = new Set<string>();
  reads.forEach((read, i) => {
    const k = checkRead(read, i, classIndex);
    let scan = byScan.get(read.imageId);
    if (scan === undefined) byScan.set(read.imageId, (scan = new Map()));
    if (scan.has(read.reader)) {
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `agreement: reader '${read.reader}' read scan '${read.imageId}' twice; pass only each reader's current label`,
        {
          imageId: read.imageId,
          reader: read.reader,
        },
      );
    }
    scan.set(read.reader, k);
    readers.add(read.reader);
  });
  const scans = [...byScan.keys()].sort(byCodePoint).map((imageId): ScanReads => {
    const scan = byScan.get(imageId)!;
    const labels = new Map([...scan.entries()].sort(([a], [b]) => byCodePoint(a, b)));
    const counts = new Array<number>(classes.length).fill(0);
    for (const k of labels.values()) counts[k]! += 1;
    return { imageId, labels, counts };
  });
  return { classes: [...classes], readers: [...readers].sort(byCodePoint), scans, reads: reads.length };
}
