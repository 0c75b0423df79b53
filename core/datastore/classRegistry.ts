// Registering classes as they appear in labels (labels.set with a new name, CSV imports, studies made before
// classes were managed): each new class gets the next display position, the next free shortcut key 1..9
// and a palette colour. Runs inside the caller's write transaction; a class already registered is left as it is.

import type { SqliteDb } from './sqlite.js';
import { nowIso } from './layout.js';

/**
 * Colours given to classes in order: Tableau 10, a categorical palette designed to stay distinguishable
 * (and readable on the dark viewer background); after ten classes the colours repeat.
 */
export const CLASS_PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'] as const;

/** Who registered classes found in labels by the schema migration (the labels keep their own authors). */
export const MIGRATION_AUTHOR = 'voxlab (existing labels)';

/** Sorts by code point, as listLabelClasses does (e.g. ['F', 'M', 'a']). */
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The smallest shortcut key 1..9 no class holds; null when all nine are taken. */
export function nextFreeKey(db: SqliteDb): number | null {
  const taken = new Set((db.prepare('SELECT shortcut FROM classes WHERE shortcut IS NOT NULL').all() as { shortcut: number }[]).map((r) => r.shortcut));
  for (let k = 1; k <= 9; k++) if (!taken.has(k)) return k;
  return null;
}

/** The first palette colour no class uses; when all are used, the palette colour of `position`. */
export function nextColour(db: SqliteDb, position: number): string {
  const used = new Set((db.prepare('SELECT colour FROM classes').all() as { colour: string }[]).map((r) => r.colour));
  return CLASS_PALETTE.find((c) => !used.has(c)) ?? CLASS_PALETTE[position % CLASS_PALETTE.length]!;
}

/** The display position after the last class (0 for the first). */
export function nextPosition(db: SqliteDb): number {
  return (db.prepare('SELECT COALESCE(MAX(position) + 1, 0) AS n FROM classes').get() as { n: number }).n;
}

/** Inserts one class row (no checks: callers validated). */
export function insertClass(db: SqliteDb, row: { name: string; colour: string; key: number | null; position: number; author: string }): void {
  const at = nowIso();
  db.prepare('INSERT INTO classes (name, colour, shortcut, position, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    row.name,
    row.colour,
    row.key,
    row.position,
    at,
    row.author,
    at,
    row.author,
  );
}

/**
 * Registers the classes of `names` that are not registered yet, in code-point order: each gets the next
 * position, the next free key (1..9, else none) and the next palette colour. Call inside a write transaction.
 */
export function registerClasses(db: SqliteDb, names: Iterable<string>, author: string): void {
  const known = db.prepare('SELECT 1 FROM classes WHERE name = ?');
  const fresh = [...new Set(names)].filter((n) => known.get(n) === undefined).sort(byCodePoint);
  for (const name of fresh) {
    const position = nextPosition(db);
    insertClass(db, { name, colour: nextColour(db, position), key: nextFreeKey(db), position, author });
  }
}

/**
 * The current class label rows, as SQL to select from: `FROM ${CURRENT_CLASS_LABELS} cl` gives each image's
 * latest non-conflict version of class_labels (columns of class_labels; images never labeled are absent).
 * The one definition of "current label" that every query shares.
 */
export const CURRENT_CLASS_LABELS = `(SELECT c.* FROM class_labels c
  JOIN (SELECT image_id, MAX(version) AS v FROM class_labels WHERE conflict = 0 GROUP BY image_id) cur
    ON cur.image_id = c.image_id AND cur.v = c.version)`;

/** The distinct current human class labels of a study, unsorted (conflicting answers do not count). */
export function currentLabelNames(db: SqliteDb): string[] {
  const rows = db.prepare(`SELECT DISTINCT cl.label FROM ${CURRENT_CLASS_LABELS} cl WHERE cl.label IS NOT NULL`).all() as { label: string }[];
  return rows.map((r) => r.label);
}

/** Registers every class that is some image's current human label (schema migration 2 and repairs). */
export function registerLabelClasses(db: SqliteDb): void {
  registerClasses(db, currentLabelNames(db), MIGRATION_AUTHOR);
}
