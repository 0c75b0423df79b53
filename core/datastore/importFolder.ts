// Imports a folder of NIfTI scans, optionally with a labels CSV, into a study: every file is checked (header
// and size), copied or referenced, and all images and labels are recorded in one transaction. Unreadable
// files, CSV rows without files, duplicate rows and files already in the study are reported, not dropped.

import { statSync } from 'node:fs';
import path from 'node:path';
import { mapLimited } from '../common/mapLimited.js';
import { VoxlabError, assert, isVoxlabError } from '../common/errors.js';
import type { ErrorCode } from '../common/errors.js';
import { commitStagedImages, imageIdForSource, removeUnrecordedImages, stageImage, type PlacedImage } from './addImages.js';
import type { StagedImage } from './addImages.js';
import { appendClassLabel, checkClassLabel } from './classLabels.js';
import { registerClasses } from './classRegistry.js';
import { nowIso } from './layout.js';
import type { StudyHandle } from './layout.js';
import { matchRows, readLabelsCsv, scanFolder } from './importPlan.js';
import type { CsvColumns, RowMatch } from './importPlan.js';
import { discardStaged } from './stageCopies.js';
import { imageForSeries, recordImageSource, type ImageSource } from './imageSources.js';

/** Import progress: `done` of `total` files checked (and copied); the final commit follows the last call. */
export interface ImportProgress {
  readonly done: number;
  readonly total: number;
  /** The file just handled (absolute). */
  readonly file: string;
}

/** How to import. */
export interface ImportOptions extends CsvColumns {
  /** A CSV with one row per image (see importPlan.ts for the column rules). */
  readonly labelsCsv?: string;
  /** true (default): copy scans into the study; false: reference them where they are. */
  readonly copy?: boolean;
  /** For references: store paths relative to the study folder. Default: absolute. */
  readonly relativeReference?: boolean;
  /** Recorded as the author of images and labels; default 'import'. */
  readonly author?: string;
  readonly onProgress?: (progress: ImportProgress) => void;
  /**
   * Origins of files under the folder (absolute path → source), recorded with their images in the import's
   * transaction; a file whose DICOM series is already in the study is skipped (ALREADY_EXISTS).
   */
  readonly sources?: ReadonlyMap<string, ImageSource>;
}

/** What an import did. Files are absolute paths unless said otherwise; CSV lines are 1-based. */
export interface ImportResult extends Omit<RowMatch, 'labels'> {
  readonly imported: readonly { readonly id: string; readonly file: string; readonly label: string | null }[];
  /** Files found but not imported: unreadable (with the reader's error code) or already in the study. */
  readonly skipped: readonly { readonly file: string; readonly code: ErrorCode; readonly reason: string }[];
  /** Files under the folder that are not NIfTI images (left alone). */
  readonly otherFiles: readonly string[];
  /** The CSV columns used, when a CSV was given. */
  readonly fileColumn: string | null;
  readonly labelColumn: string | null;
}

const CONCURRENCY = 4; // probes gunzip on libuv's 4 threads; more only queues


/**
 * Imports the NIfTI files (.nii, .nii.gz, .hdr+.img) under `dir` (recursively; hidden entries and the study's
 * own folder skipped) into the study, with class labels from `labelsCsv` when given. Throws NOT_FOUND when
 * `dir` or the CSV is missing, CSV_INVALID for an unusable CSV (before anything is copied), IO_ERROR when
 * recording fails (then nothing is recorded). Per-file problems are reported in the result instead.
 */
export async function importFolder(h: StudyHandle, dir: string, options: ImportOptions = {}): Promise<ImportResult> {
  assert(typeof dir === 'string' && dir.length > 0, 'importFolder: dir must be a non-empty path');
  const root = path.resolve(dir);
  const stat = statSync(root, { throwIfNoEntry: false });
  if (stat === undefined || !stat.isDirectory()) throw new VoxlabError('NOT_FOUND', `importFolder: there is no folder ${root}`, { dir: root });
  const author = options.author ?? 'import';
  const csv = options.labelsCsv === undefined ? null : await readLabelsCsv(path.resolve(options.labelsCsv), options);
  csv?.rows.forEach((r) => {
    if (r.label !== null) checkCsvLabel(options.labelsCsv!, r.line, r.label);
  });
  const { images, others } = await scanFolder(root, h.dir);
  const match = matchRows(csv?.rows ?? [], csv === null ? root : path.dirname(path.resolve(options.labelsCsv!)), root, images);

  const skipped: { file: string; code: ErrorCode; reason: string }[] = [];
  const ready: StagedImage[] = []; // in completion order until sorted below
  let done = 0;
  try {
    await mapLimited(images, CONCURRENCY, async (file) => {
      const existing = imageIdForSource(h, file);
      if (existing !== undefined) skipped.push({ file, code: 'ALREADY_EXISTS', reason: `already in the study as image "${existing}"` });
      else {
        try {
          ready.push(await stageImage(h, file, { copy: options.copy ?? true, author }));
        } catch (e) {
          if (!isVoxlabError(e)) throw e;
          skipped.push({ file, code: e.code, reason: e.message }); // reported to the caller in the result
        }
      }
      options.onProgress?.({ done: ++done, total: images.length, file });
    });
    ready.sort((a, b) => (a.source < b.source ? -1 : 1));
    const csvName = options.labelsCsv === undefined ? '' : path.basename(options.labelsCsv);
    const placed: PlacedImage[] = [];
    let imported: ReturnType<typeof commitAll>;
    try {
      imported = h.db.transaction(() => commitAll(h, ready, match, placed, { author, csvName, relativeReference: options.relativeReference, skipped, sources: options.sources })).immediate();
    } catch (e) {
      removeUnrecordedImages(h, placed); // copies moved into place by a transaction that then failed (a full disk)
      throw e;
    }
    skipped.sort((a, b) => (a.file < b.file ? -1 : 1));
    return { imported, skipped, otherFiles: others, fileColumn: csv?.fileColumn ?? null, labelColumn: csv?.labelColumn ?? null, ...withoutLabels(match) };
  } finally {
    for (const s of ready) if (s.staged !== null) discardStaged(s.staged); // no-ops for files moved into place
  }
}

function withoutLabels(match: RowMatch): Omit<RowMatch, 'labels'> {
  const { labels: _labels, ...rest } = match;
  return rest;
}

/** A CSV label must be a valid class label; the error names the line. */
function checkCsvLabel(source: string, line: number, label: string): void {
  try {
    checkClassLabel('importFolder', label);
  } catch (e) {
    throw new VoxlabError('CSV_INVALID', `${source} line ${line}: ${(e as Error).message}`, { source, line }, { cause: e });
  }
}

/** Inside the write transaction: records the staged images not added meanwhile by another writer, and their labels. */
function commitAll(
  h: StudyHandle,
  ready: readonly StagedImage[],
  match: RowMatch,
  placed: PlacedImage[],
  o: {
    author: string;
    csvName: string;
    relativeReference: boolean | undefined;
    skipped: { file: string; code: ErrorCode; reason: string }[];
    sources: ReadonlyMap<string, ImageSource> | undefined;
  },
): { id: string; file: string; label: string | null }[] {
  const fresh = ready.filter((s) => {
    const key = o.sources?.get(s.source)?.seriesKey ?? null;
    const existing = imageIdForSource(h, s.source) ?? (key === null ? undefined : imageForSeries(h, key));
    if (existing !== undefined) o.skipped.push({ file: s.source, code: 'ALREADY_EXISTS', reason: `already in the study as image "${existing}"` });
    return existing === undefined;
  });
  const ids = commitStagedImages(h, fresh, { author: o.author, relativeReference: o.relativeReference }, placed);
  const createdAt = nowIso();
  fresh.forEach((s, k) => {
    const source = o.sources?.get(s.source);
    if (source !== undefined) recordImageSource(h, ids[k]!, source, createdAt);
  });
  // New classes in sorted order first, so that their shortcut keys follow the sorted names, not the CSV's rows.
  registerClasses(h.db, fresh.flatMap((s) => match.labels.get(s.source)?.label ?? []), o.author);
  return fresh.map((s, k) => {
    const row = match.labels.get(s.source);
    const label = row?.label ?? null;
    if (row !== undefined && label !== null) {
      appendClassLabel(h, ids[k]!, label, { author: o.author, note: `imported from ${o.csvName} line ${row.line}`, conflict: false, createdAt });
    }
    return { id: ids[k]!, file: s.source, label };
  });
}
