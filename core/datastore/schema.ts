// The study database's schema and its migrations. `PRAGMA user_version` holds the number of migrations
// applied; `PRAGMA application_id` marks the file as a voxlab study. Append migrations, never edit them.

import { VoxlabError } from '../common/errors.js';
import { registerLabelClasses } from './classRegistry.js';
import type { SqliteDb } from './sqlite.js';

/** 'VOXL' in ASCII: SQLite's application_id slot, so `file voxlab.sqlite` and voxlab can tell our files apart. */
export const APPLICATION_ID = 0x564f584c;

/** SQL, then (optionally) a data step run in the same transaction, e.g. to fill a new table from old rows. */
type Migration = string | { readonly sql: string; readonly data: (db: SqliteDb) => void };

/**
 * Migration n (1-based) takes the schema from version n-1 to n. Label tables are append-only: triggers
 * refuse UPDATE and DELETE, so history cannot be rewritten even by a bug.
 */
const MIGRATIONS: readonly Migration[] = [
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
  {
    // Study metadata (issue #10): classes managed in the study, segment names, and heatmaps as artifacts.
    sql: `
  -- Display order = position. shortcut: the key 1..9 that sets the class (NULL = none). colour: '#rrggbb' lower case.
  -- Not a label table: a rename updates the row and appends label versions (see classes.ts).
  CREATE TABLE classes (
    name TEXT PRIMARY KEY CHECK (length(name) > 0),
    colour TEXT NOT NULL CHECK (length(colour) = 7 AND colour GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
    shortcut INTEGER UNIQUE CHECK (shortcut IS NULL OR shortcut BETWEEN 1 AND 9),
    position INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
  ) STRICT;

  -- Names and colours of labelmap voxel values (0 = background has none).
  CREATE TABLE segments (
    value INTEGER PRIMARY KEY CHECK (value BETWEEN 1 AND 255),
    name TEXT NOT NULL CHECK (length(name) > 0),
    colour TEXT NOT NULL CHECK (length(colour) = 7 AND colour GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
  ) STRICT;

  -- Stored heatmaps. path: relative to the study folder, maps/<image>/<id>.nii.gz (float32, the scan's grid).
  -- model_id is not a foreign key (imported or deleted runs). duration_ms NULL = not measured.
  CREATE TABLE explanations (
    id TEXT PRIMARY KEY,
    image_id TEXT NOT NULL REFERENCES images (id),
    model_id TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('occlusion', 'gradcam', 'gradcam++')),
    class_index INTEGER NOT NULL CHECK (class_index >= 0),
    class_name TEXT,
    predicted_class TEXT,
    params TEXT NOT NULL CHECK (json_valid(params)),
    source TEXT NOT NULL CHECK (source IN ('app', 'cli', 'api')),
    path TEXT NOT NULL UNIQUE,
    shape TEXT NOT NULL CHECK (json_valid(shape)),
    min REAL NOT NULL,
    max REAL NOT NULL,
    duration_ms REAL,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX explanations_by_image ON explanations (image_id, created_at);
  `,
    // Classes of existing labels, in sorted order: keys 1..9 as the app assigned them before (i-th sorted class).
    data: (db) => registerLabelClasses(db),
  },
  // Where an image came from (issue #11): a DICOM series' provenance (patient, study and series UIDs,
  // description, modality, date; JSON, see core/dicom/provenance.ts). series_key = SeriesInstanceUID + '/' +
  // the converted name (dcm2niix splits one series into echoes, ...): importing it again is refused.
  `
  CREATE TABLE image_sources (
    image_id TEXT PRIMARY KEY REFERENCES images (id),
    kind TEXT NOT NULL CHECK (kind IN ('dicom')),
    series_key TEXT UNIQUE,
    provenance TEXT NOT NULL CHECK (json_valid(provenance)),
    created_at TEXT NOT NULL
  ) STRICT;
  `,
  // The source instances of a DICOM series (SOP class and instance UIDs, positions) and the patient/study
  // attributes a DICOM SEG must copy (issue #11); JSON, PHI, never in summaries. Null for older imports.
  `
  ALTER TABLE image_sources ADD COLUMN refs TEXT CHECK (refs IS NULL OR json_valid(refs));
  `,
  // Accounts, sessions and the audit log (issue #13). token_hash: SHA-256 (hex) of the personal token's
  // secret part; the token itself is shown once and never stored. A session is a browser sign-in (HttpOnly
  // cookie), stored by the SHA-256 of its id. The audit log is append-only (triggers refuse UPDATE and
  // DELETE) and hash-chained: hash = SHA-256(previous hash + the row's fields), see audit.ts.
  `
  CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('annotator', 'reviewer', 'researcher', 'admin')),
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    rotated_at TEXT,
    disabled_at TEXT
  ) STRICT;
  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    account TEXT NOT NULL,
    role TEXT NOT NULL,
    method TEXT NOT NULL,
    target TEXT,
    before_version INTEGER,
    after_version INTEGER,
    detail TEXT CHECK (detail IS NULL OR json_valid(detail)),
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  ) STRICT;
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  `,
  // Reads of a blinded reader study (issue #13): each reader's answers per scan, versioned like class
  // labels (append-only; the latest non-conflict version per reader counts). The reference label stays in
  // class_labels. The reading settings are the meta row 'reading' (JSON, see reads.ts).
  `
  CREATE TABLE reads (
    image_id TEXT NOT NULL REFERENCES images (id),
    reader TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    label TEXT,
    created_at TEXT NOT NULL,
    note TEXT,
    conflict INTEGER NOT NULL DEFAULT 0 CHECK (conflict IN (0, 1)),
    expected_version INTEGER,
    PRIMARY KEY (image_id, reader, version)
  ) STRICT;
  CREATE TRIGGER reads_no_update BEFORE UPDATE ON reads BEGIN SELECT RAISE(ABORT, 'reads are append-only'); END;
  CREATE TRIGGER reads_no_delete BEFORE DELETE ON reads BEGIN SELECT RAISE(ABORT, 'reads are append-only'); END;
  `,
  // LayerCAM maps (issue #16): the method CHECK gains 'layercam'. SQLite cannot change a CHECK in place, so
  // the table is rebuilt with its rows (sqlite.org/lang_altertable.html, "other kinds of table schema
  // changes"; no table references explanations, and it has no triggers).
  `
  CREATE TABLE explanations_new (
    id TEXT PRIMARY KEY,
    image_id TEXT NOT NULL REFERENCES images (id),
    model_id TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('occlusion', 'gradcam', 'gradcam++', 'layercam')),
    class_index INTEGER NOT NULL CHECK (class_index >= 0),
    class_name TEXT,
    predicted_class TEXT,
    params TEXT NOT NULL CHECK (json_valid(params)),
    source TEXT NOT NULL CHECK (source IN ('app', 'cli', 'api')),
    path TEXT NOT NULL UNIQUE,
    shape TEXT NOT NULL CHECK (json_valid(shape)),
    min REAL NOT NULL,
    max REAL NOT NULL,
    duration_ms REAL,
    created_at TEXT NOT NULL
  ) STRICT;
  INSERT INTO explanations_new SELECT id, image_id, model_id, method, class_index, class_name, predicted_class,
    params, source, path, shape, min, max, duration_ms, created_at FROM explanations;
  DROP TABLE explanations;
  ALTER TABLE explanations_new RENAME TO explanations;
  CREATE INDEX explanations_by_image ON explanations (image_id, created_at);
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
      const m = MIGRATIONS[v]!;
      db.exec(typeof m === 'string' ? m : m.sql);
      if (typeof m !== 'string') m.data(db);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}
