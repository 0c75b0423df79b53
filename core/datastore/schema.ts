// The study database's schema and its migrations. `PRAGMA user_version` holds the number of migrations
// applied; `PRAGMA application_id` marks the file as a voxlab study. Append migrations, never edit them.

import { VoxlabError } from '../common/errors.js';
import type { SqliteDb } from './sqlite.js';

/** 'VOXL' in ASCII: SQLite's application_id slot, so `file voxlab.sqlite` and voxlab can tell our files apart. */
export const APPLICATION_ID = 0x564f584c;

/**
 * Migration n (1-based) takes the schema from version n-1 to n. Label tables are append-only: triggers
 * refuse UPDATE and DELETE, so history cannot be rewritten even by a bug.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

  -- path_stored: 'images/<file>' (copy) or the reference, absolute or relative to the study folder.
  -- path_resolved: the absolute path when added. source_path: the absolute path it came from.
  CREATE TABLE images (
    id TEXT PRIMARY KEY,
    storage TEXT NOT NULL CHECK (storage IN ('copy', 'reference')),
    path_stored TEXT NOT NULL,
    path_resolved TEXT NOT NULL,
    source_path TEXT NOT NULL UNIQUE,
    format TEXT NOT NULL,
    shape TEXT NOT NULL CHECK (json_valid(shape)),
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL
  ) STRICT;
  -- Ids name folders (labels/<id>/): unique also on case-insensitive file systems.
  CREATE UNIQUE INDEX images_id_nocase ON images (id COLLATE NOCASE);

  -- label NULL = cleared. conflict = 1: written against expected_version while another version was current.
  CREATE TABLE class_labels (
    image_id TEXT NOT NULL REFERENCES images (id),
    version INTEGER NOT NULL CHECK (version >= 1),
    label TEXT CHECK (label IS NULL OR length(label) > 0),
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    note TEXT,
    conflict INTEGER NOT NULL CHECK (conflict IN (0, 1)),
    expected_version INTEGER,
    PRIMARY KEY (image_id, version)
  ) STRICT;

  -- path: relative to the study folder, labels/<image>/seg-v<version>.nii.gz.
  CREATE TABLE labelmaps (
    image_id TEXT NOT NULL REFERENCES images (id),
    version INTEGER NOT NULL CHECK (version >= 1),
    path TEXT NOT NULL UNIQUE,
    shape TEXT NOT NULL CHECK (json_valid(shape)),
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    note TEXT,
    conflict INTEGER NOT NULL CHECK (conflict IN (0, 1)),
    expected_version INTEGER,
    PRIMARY KEY (image_id, version)
  ) STRICT;

  CREATE TABLE models (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    config TEXT NOT NULL CHECK (json_valid(config)),
    metrics TEXT NOT NULL CHECK (json_valid(metrics)),
    path TEXT,
    backend TEXT NOT NULL,
    data_version TEXT,
    created_at TEXT NOT NULL
  ) STRICT;

  -- No foreign key to models: a trainer logs epochs while it runs and records the model when it is done.
  CREATE TABLE run_metrics (
    model_id TEXT NOT NULL,
    epoch INTEGER NOT NULL CHECK (epoch >= 0),
    metrics TEXT NOT NULL CHECK (json_valid(metrics)),
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (model_id, epoch)
  ) STRICT;

  -- model_id is not a foreign key either: a prediction may come from a model imported from elsewhere.
  CREATE TABLE predictions (
    id INTEGER PRIMARY KEY,
    image_id TEXT NOT NULL REFERENCES images (id),
    model_id TEXT NOT NULL,
    label TEXT NOT NULL,
    classes TEXT NOT NULL CHECK (json_valid(classes)),
    probabilities TEXT NOT NULL CHECK (json_valid(probabilities)),
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX predictions_by_image ON predictions (image_id, id);

  CREATE TRIGGER class_labels_no_update BEFORE UPDATE ON class_labels
    BEGIN SELECT RAISE(ABORT, 'class label versions are append-only'); END;
  CREATE TRIGGER class_labels_no_delete BEFORE DELETE ON class_labels
    BEGIN SELECT RAISE(ABORT, 'class label versions are append-only'); END;
  CREATE TRIGGER labelmaps_no_update BEFORE UPDATE ON labelmaps
    BEGIN SELECT RAISE(ABORT, 'labelmap versions are append-only'); END;
  CREATE TRIGGER labelmaps_no_delete BEFORE DELETE ON labelmaps
    BEGIN SELECT RAISE(ABORT, 'labelmap versions are append-only'); END;
  `,
];

/** The schema version this build of voxlab writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** The schema version stored in `db` (0 for a new, empty database). */
export function schemaVersion(db: SqliteDb): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings `db` to SCHEMA_VERSION, one transaction per migration (a crash leaves a whole number of them).
 * Throws STUDY_INVALID when the database was written by a newer voxlab.
 */
export function migrate(db: SqliteDb, studyDir: string): void {
  const from = schemaVersion(db);
  if (from > SCHEMA_VERSION) {
    throw new VoxlabError(
      'STUDY_INVALID',
      `The study in ${studyDir} was saved by a newer version of voxlab (study format ${from}, this version reads up to ${SCHEMA_VERSION}). Update voxlab to open it.`,
      { dir: studyDir, schemaVersion: from, supported: SCHEMA_VERSION },
    );
  }
  for (let v = from; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      if (schemaVersion(db) > v) return; // another process migrated while we waited for the lock
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}
