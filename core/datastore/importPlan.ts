// The planning half of importFolder: find the NIfTI files under a folder, read a labels CSV, pick its file
// and label columns, and match rows to files. Every row and file ends up somewhere in the result: nothing
// is dropped without a word.

import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { VoxlabError } from '../common/errors.js';
import { parseCsv } from './csv.js';
import { isNiftiName } from './probeNifti.js';

/** Default column names, tried in order, case-insensitively. */
export const FILE_COLUMNS = ['file', 'image', 'path', 'filename'] as const;
export const LABEL_COLUMNS = ['label', 'class', 'sex'] as const;

/** Where to find file names and labels in a CSV. */
export interface CsvColumns {
  /** Column with the image file, relative to the CSV's folder (or absolute). Default: the first of FILE_COLUMNS present. */
  readonly fileColumn?: string;
  /** Column with the class label. Default: the first of LABEL_COLUMNS present. */
  readonly labelColumn?: string;
}

/** One data row of a labels CSV. */
export interface LabelRow {
  readonly line: number;
  /** The file cell as written. */
  readonly file: string;
  /** The label cell, trimmed; null when empty. */
  readonly label: string | null;
}

/** Lists NIfTI files (see isNiftiName) under `dir`, recursively, sorted; hidden entries and `skipDir` are left out; other files are returned apart. */
export async function scanFolder(dir: string, skipDir: string): Promise<{ images: string[]; others: string[] }> {
  const images: string[] = [];
  const others: string[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = await fsp.readdir(d, { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith('.')) continue; // hidden: temp files, .DS_Store, .git
      const full = path.join(d, e.name);
      if (e.isDirectory()) {
        if (full !== skipDir) await walk(full);
      } else if (isNiftiName(e.name)) images.push(full);
      else others.push(full);
    }
  };
  await walk(dir);
  // A .hdr's .img is part of that image, not another file.
  const pairs = new Set(images.filter((f) => /\.hdr(\.gz)?$/i.test(f)).map((f) => f.replace(/\.hdr(\.gz)?$/i, '').toLowerCase()));
  return { images: images.sort(), others: others.filter((f) => !pairs.has(f.replace(/\.img(\.gz)?$/i, '').toLowerCase())).sort() };
}

/** The column to use: the one asked for (must exist), else the first default present. Case-insensitive. */
function pickColumn(columns: readonly string[], asked: string | undefined, defaults: readonly string[], role: string, option: string, source: string): string {
  const find = (name: string) => columns.find((c) => c.toLowerCase() === name.toLowerCase());
  if (asked !== undefined) {
    const hit = find(asked);
    if (hit === undefined) throw new VoxlabError('CSV_INVALID', `${source} has no column "${asked}" (its columns: ${columns.join(', ')})`, { source, column: asked });
    return hit;
  }
  for (const d of defaults) {
    const hit = find(d);
    if (hit !== undefined) return hit;
  }
  throw new VoxlabError(
    'CSV_INVALID',
    `${source} has no ${role} column: name one "${defaults.join('", "')}" or pass ${option} (its columns: ${columns.join(', ')})`,
    { source, columns },
  );
}

/** Reads a labels CSV and picks its columns. Throws NOT_FOUND for a missing file, CSV_INVALID for a bad one. */
export async function readLabelsCsv(csvFile: string, columns: CsvColumns): Promise<{ fileColumn: string; labelColumn: string; rows: LabelRow[] }> {
  const text = await fsp.readFile(csvFile, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new VoxlabError(e.code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR', `Could not read the labels file ${csvFile}: ${e.message}`, { path: csvFile }, { cause: e });
  });
  const table = parseCsv(text, csvFile);
  const fileColumn = pickColumn(table.columns, columns.fileColumn, FILE_COLUMNS, 'image file', 'fileColumn', csvFile);
  const labelColumn = pickColumn(table.columns, columns.labelColumn, LABEL_COLUMNS, 'label', 'labelColumn', csvFile);
  const fi = table.columns.indexOf(fileColumn);
  const li = table.columns.indexOf(labelColumn);
  const rows = table.rows.map((r) => {
    const label = r.cells[li]!.trim();
    return { line: r.line, file: r.cells[fi]!.trim(), label: label === '' ? null : label };
  });
  return { fileColumn, labelColumn, rows };
}

/** How CSV rows matched the files found. */
export interface RowMatch {
  /** Absolute image file → its label and CSV line. */
  readonly labels: Map<string, { label: string | null; line: number }>;
  /** Rows whose file exists neither relative to the CSV's folder nor to the import folder. */
  readonly missingFiles: { line: number; file: string }[];
  /** Rows naming a file already named by an earlier row (the first row wins). */
  readonly duplicateRows: { line: number; file: string; label: string | null; firstLine: number }[];
  /** Rows naming an existing file that is not imported: outside the import folder, or not a NIfTI image. */
  readonly rowsNotImported: { line: number; file: string; reason: string }[];
  /** Rows with an empty label cell (their image is imported unlabeled). */
  readonly rowsWithoutLabel: { line: number; file: string }[];
}

/**
 * Matches rows to `images` (absolute paths found under `importDir`). A row's file is taken relative to the
 * CSV's folder; when no such file exists, relative to the import folder. Paths compare exactly (a backslash
 * is read as '/' except on Windows).
 */
export function matchRows(rows: readonly LabelRow[], csvDir: string, importDir: string, images: readonly string[]): RowMatch {
  const found = new Set(images);
  const m: RowMatch = { labels: new Map(), missingFiles: [], duplicateRows: [], rowsNotImported: [], rowsWithoutLabel: [] };
  for (const row of rows) {
    // A CSV written on Windows may use backslashes; elsewhere they are almost never part of a file name.
    const name = path.sep === '/' ? row.file.replace(/\\/g, '/') : row.file;
    const candidates = [path.resolve(csvDir, name), path.resolve(importDir, name)];
    const file = candidates.find((c) => found.has(c)) ?? candidates.find((c) => existsSync(c));
    if (row.file === '' || file === undefined) {
      m.missingFiles.push({ line: row.line, file: row.file });
      continue;
    }
    if (!found.has(file)) {
      const inside = !path.relative(importDir, file).startsWith('..') && !path.isAbsolute(path.relative(importDir, file));
      const reason = !isNiftiName(file) ? 'not a NIfTI image (.nii, .nii.gz, .hdr)' : inside ? 'a hidden file or inside the study folder' : `outside the import folder ${importDir}`;
      m.rowsNotImported.push({ line: row.line, file: row.file, reason });
      continue;
    }
    const first = m.labels.get(file);
    if (first !== undefined) {
      m.duplicateRows.push({ line: row.line, file: row.file, label: row.label, firstLine: first.line });
      continue;
    }
    m.labels.set(file, { label: row.label, line: row.line });
    if (row.label === null) m.rowsWithoutLabel.push({ line: row.line, file: row.file });
  }
  return m;
}
