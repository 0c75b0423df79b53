// The study's classes (one class per scan): names, colours, shortcut keys 1..9 and display order, managed
// in the study rather than only implied by labels. A rename never rewrites history: it appends a new label
// version ("renamed from <old>") to every image whose current label is the old name, in one transaction.

import { VoxlabError } from '../common/errors.js';
import { appendClassLabel } from './classLabels.js';
import { CURRENT_CLASS_LABELS, insertClass, nextColour, nextFreeKey, nextPosition } from './classRegistry.js';
import { checkDisplayName, checkShortcutKey, normaliseColour } from './displayChecks.js';
import { checkAuthor, nowIso } from './layout.js';
import type { StudyHandle } from './layout.js';
import type { SqliteDb } from './sqlite.js';

/** A class of the study. */
export interface ClassRecord {
  readonly name: string;
  /** '#rrggbb', lower case. */
  readonly colour: string;
  /** Shortcut key 1..9, or null. */
  readonly key: number | null;
  /** 0-based display position (classes are listed by it). */
  readonly position: number;
  /** Images whose current human class label is this class. */
  readonly count: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** A class to add; colour and key default to the next palette colour and the next free key. */
export interface AddClassInput {
  readonly name: string;
  readonly colour?: string;
  /** 1..9, or null for no shortcut; undefined = the next free key (none when all nine are taken). */
  readonly key?: number | null;
  readonly author: string;
}

/** Changes to one class; fields left undefined stay as they are. */
export interface UpdateClassInput {
  readonly name: string;
  readonly newName?: string;
  readonly colour?: string;
  readonly key?: number | null;
  readonly author: string;
}

/** What updateClass did: the class as it is now and the label versions a rename appended. */
export interface ClassUpdate {
  readonly record: ClassRecord;
  readonly relabeled: readonly { readonly imageId: string; readonly version: number }[];
}

interface Row {
  name: string;
  colour: string;
  shortcut: number | null;
  position: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

/** Image ids whose current (latest non-conflict) class label is `label`. */
const CURRENT_WITH_LABEL = `SELECT cl.image_id FROM ${CURRENT_CLASS_LABELS} cl WHERE cl.label = ? ORDER BY cl.image_id`;

function counts(db: SqliteDb): Map<string, number> {
  const rows = db
    .prepare(
      `SELECT cl.label, COUNT(*) AS n FROM ${CURRENT_CLASS_LABELS} cl WHERE cl.label IS NOT NULL GROUP BY cl.label`,
    )
    .all() as { label: string; n: number }[];
  return new Map(rows.map((r) => [r.label, r.n]));
}

const toRecord = (r: Row, n: Map<string, number>): ClassRecord => ({
  name: r.name,
  colour: r.colour,
  key: r.shortcut,
  position: r.position,
  count: n.get(r.name) ?? 0,
  createdAt: r.created_at,
  createdBy: r.created_by,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

/** The study's classes in display order (position, then name). */
export function listClasses(h: StudyHandle): ClassRecord[] {
  const n = counts(h.db);
  return (h.db.prepare('SELECT * FROM classes ORDER BY position, name').all() as Row[]).map((r) => toRecord(r, n));
}

/** One class by exact name. Throws NOT_FOUND naming the known classes. */
export function getClass(h: StudyHandle, name: string): ClassRecord {
  const row = h.db.prepare('SELECT * FROM classes WHERE name = ?').get(name) as Row | undefined;
  if (row === undefined) {
    const known = (h.db.prepare('SELECT name FROM classes ORDER BY position').all() as { name: string }[]).map((r) => r.name);
    throw new VoxlabError('NOT_FOUND', `The study has no class "${name}" (its classes: ${known.length > 0 ? known.join(', ') : 'none yet'})`, { name });
  }
  return toRecord(row, counts(h.db));
}

/** Throws BAD_ARGUMENT when another class than `self` holds shortcut `key`, naming that class. */
function checkKeyFree(db: SqliteDb, fn: string, key: number | null, self: string | null): void {
  if (key === null) return;
  const holder = db.prepare('SELECT name FROM classes WHERE shortcut = ?').get(key) as { name: string } | undefined;
  if (holder !== undefined && holder.name !== self) {
    throw new VoxlabError('BAD_ARGUMENT', `${fn}: key ${key} already sets the class "${holder.name}"; give that class another key first, or choose a free one`, { key, heldBy: holder.name });
  }
}

/**
 * Adds a class at the end of the display order and returns it. Throws BAD_ARGUMENT (bad name, colour, key
 * or author; a key another class holds, naming it) and ALREADY_EXISTS (the name is taken).
 */
export function addClass(h: StudyHandle, input: AddClassInput): ClassRecord {
  checkDisplayName('addClass', 'class', input.name);
  const colour = input.colour === undefined ? undefined : normaliseColour('addClass', input.colour);
  checkShortcutKey('addClass', input.key);
  checkAuthor('addClass', input.author);
  h.db
    .transaction(() => {
      if (h.db.prepare('SELECT 1 FROM classes WHERE name = ?').get(input.name) !== undefined)
        throw new VoxlabError('ALREADY_EXISTS', `The study already has a class "${input.name}"`, { name: input.name });
      const key = input.key === undefined ? nextFreeKey(h.db) : input.key;
      checkKeyFree(h.db, 'addClass', key, null);
      const position = nextPosition(h.db);
      insertClass(h.db, { name: input.name, colour: colour ?? nextColour(h.db, position), key, position, author: input.author });
    })
    .immediate();
  return getClass(h, input.name);
}

/**
 * Renames, recolours or re-keys a class and returns what changed. A rename appends, for every image whose
 * current label is the old name, a version with the new name (author `input.author`, note `renamed from
 * <old>`); earlier versions stay as they were. All in one transaction. Throws NOT_FOUND (unknown class),
 * ALREADY_EXISTS (the new name is taken), BAD_ARGUMENT (bad name, colour, key or author; a key another
 * class holds, naming it).
 */
export function updateClass(h: StudyHandle, input: UpdateClassInput): ClassUpdate {
  const fn = 'updateClass';
  if (input.newName !== undefined) checkDisplayName(fn, 'class', input.newName);
  const colour = input.colour === undefined ? undefined : normaliseColour(fn, input.colour);
  checkShortcutKey(fn, input.key);
  checkAuthor(fn, input.author);
  const finalName = input.newName ?? input.name;
  const relabeled = h.db
    .transaction(() => {
      const old = getClass(h, input.name);
      const renamed = finalName !== old.name;
      if (renamed && h.db.prepare('SELECT 1 FROM classes WHERE name = ?').get(finalName) !== undefined)
        throw new VoxlabError('ALREADY_EXISTS', `${fn}: cannot rename "${old.name}" to "${finalName}": the study already has a class "${finalName}"`, { name: old.name, newName: finalName });
      const key = input.key === undefined ? old.key : input.key;
      checkKeyFree(h.db, fn, key, old.name);
      h.db
        .prepare('UPDATE classes SET name = ?, colour = ?, shortcut = ?, updated_at = ?, updated_by = ? WHERE name = ?')
        .run(finalName, colour ?? old.colour, key, nowIso(), input.author, old.name);
      if (!renamed) return [];
      const images = (h.db.prepare(CURRENT_WITH_LABEL).all(old.name) as { image_id: string }[]).map((r) => r.image_id);
      const createdAt = nowIso();
      return images.map((imageId) => ({
        imageId,
        version: appendClassLabel(h, imageId, finalName, { author: input.author, note: `renamed from ${old.name}`, conflict: false, createdAt }),
      }));
    })
    .immediate();
  return { record: getClass(h, finalName), relabeled };
}
