// Creating and opening study folders. A study is created under a temp name and renamed into place, so a
// crash never leaves a half-made voxlab.sqlite; opening checks that the file is a healthy voxlab database
// and migrates it, and explains in words what is wrong when it is not, and sweeps killed writers' temp files.

import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { VoxlabError, assert, isVoxlabError } from '../common/errors.js';
import { tempPathFor } from '../io/atomicWrite.js';
import { IMAGES_DIR, LABELS_DIR, MODELS_DIR, STUDY_DB_FILE, nowIso } from './layout.js';
import { APPLICATION_ID, migrate } from './schema.js';
import { openConnection } from './sqlite.js';
import type { SqliteDb } from './sqlite.js';
import { fsyncDirSync } from './stageCopies.js';
import { Study } from './Study.js';
import { sweepTempFiles } from './sweepTemps.js';

/** What a new study needs. */
export interface CreateStudyOptions {
  /** Shown to users, e.g. 'IXI sex classification'. */
  readonly name: string;
}

/** How to open a study. */
export interface OpenStudyOptions {
  /** Create the study when the folder is missing or has no voxlab.sqlite (name: the folder's name, unless given). */
  readonly create?: boolean | CreateStudyOptions;
}

/** SQLite result codes that mean "this file is not a (healthy) database". */
const DAMAGED_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_VTAB']);

function studyError(dbFile: string, e: unknown): VoxlabError {
  if (isVoxlabError(e)) return e;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && DAMAGED_CODES.has(code)) {
    return new VoxlabError('STUDY_INVALID', `The study database ${dbFile} is damaged or is not a voxlab database (${(e as Error).message}). Restore it from a backup.`, { path: dbFile, sqlite: code }, { cause: e });
  }
  return new VoxlabError('IO_ERROR', `Could not open the study database ${dbFile}: ${(e as Error).message}`, { path: dbFile }, { cause: e });
}

/** Checks that `db` is a healthy voxlab study database and migrates it. Throws STUDY_INVALID. */
function checkAndMigrate(db: SqliteDb, dir: string, dbFile: string): void {
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId !== APPLICATION_ID) {
    const tables = (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n;
    const what = appId === 0 && tables === 0 ? 'is empty' : 'belongs to another program';
    throw new VoxlabError('STUDY_INVALID', `${dir} is not a voxlab study: its ${STUDY_DB_FILE} ${what}.`, { dir, applicationId: appId });
  }
  const check = db.pragma('quick_check', { simple: true }) as string;
  if (check !== 'ok') {
    throw new VoxlabError('STUDY_INVALID', `The study database ${dbFile} is damaged (SQLite quick_check: ${check}). Restore it from a backup.`, { path: dbFile, check });
  }
  migrate(db, dir);
}

/**
 * Opens the study in `dir` (resolved against the working directory). Throws NOT_FOUND when the folder does
 * not exist and STUDY_INVALID when it is not a study (no voxlab.sqlite, a file, a foreign or damaged
 * database, a newer schema) unless `create` asks to create it; IO_ERROR when the OS refuses. Removes the temp
 * files that dead processes left in the folder (sweepTemps.ts; live writers' are kept).
 */
export function openStudy(dir: string, options: OpenStudyOptions = {}): Study {
  assert(typeof dir === 'string' && dir.length > 0, 'openStudy: dir must be a non-empty path');
  const abs = path.resolve(dir);
  const dbFile = path.join(abs, STUDY_DB_FILE);
  const create = options.create === undefined || options.create === false ? null : options.create === true ? { name: path.basename(abs) } : options.create;
  if (!existsSync(abs)) {
    if (create !== null) return createStudy(abs, create);
    throw new VoxlabError('NOT_FOUND', `There is no folder ${abs} to open as a study.`, { dir: abs });
  }
  if (!statSync(abs).isDirectory()) throw new VoxlabError('STUDY_INVALID', `${abs} is a file; a study is a folder.`, { dir: abs });
  if (!existsSync(dbFile)) {
    if (create !== null) return createStudy(abs, create);
    throw new VoxlabError('STUDY_INVALID', `${abs} is not a voxlab study: it has no ${STUDY_DB_FILE}. Create a study there, or choose the study's folder.`, { dir: abs });
  }
  let db: SqliteDb | undefined;
  try {
    db = openConnection(dbFile, { mustExist: true });
    checkAndMigrate(db, abs, dbFile);
  } catch (e) {
    db?.close();
    throw studyError(dbFile, e);
  }
  for (const sub of [IMAGES_DIR, LABELS_DIR, MODELS_DIR]) mkdirSync(path.join(abs, sub), { recursive: true });
  // Temp files of killed writers (sweepTemps.ts). One that cannot be removed (a read-only study) harms no
  // reader, who ignores hidden .tmp files, so the study still opens; the operator is told.
  for (const f of sweepTempFiles(abs).failed) process.emitWarning(`voxlab: could not remove the leftover temp file ${f.path}: ${f.message}`);
  return new Study(abs, db);
}

/**
 * A folder whose voxlab.sqlite is gone but whose -wal file, images/ or labels/ remain held a study: a new
 * database would adopt that WAL (SQLite cannot tell it belongs to another database) or overwrite those
 * files. Throws STUDY_INVALID, asking the user to restore the database or move the remains away.
 */
function refuseRemainsOfAStudy(abs: string): void {
  const remains = [`${STUDY_DB_FILE}-wal`, `${STUDY_DB_FILE}-shm`].filter((f) => existsSync(path.join(abs, f)));
  for (const sub of [IMAGES_DIR, LABELS_DIR]) {
    const d = path.join(abs, sub);
    if (existsSync(d) && statSync(d).isDirectory() && readdirSync(d).length > 0) remains.push(`${sub}/`);
  }
  if (remains.length > 0) {
    throw new VoxlabError(
      'STUDY_INVALID',
      `${abs} has no ${STUDY_DB_FILE} but holds what a study leaves (${remains.join(', ')}): put the study's ${STUDY_DB_FILE} back, or move those away before creating a new study here.`,
      { dir: abs, remains },
    );
  }
}

/**
 * Creates a study in `dir` (made if missing; other files in it are left alone) and opens it. The database is
 * built under a temp name and renamed into place. Throws ALREADY_EXISTS when `dir` already holds a study,
 * STUDY_INVALID when it holds the remains of one (see refuseRemainsOfAStudy), BAD_ARGUMENT for an empty
 * name, IO_ERROR when the OS refuses.
 */
export function createStudy(dir: string, options: CreateStudyOptions): Study {
  assert(typeof options?.name === 'string' && options.name.trim().length > 0, () => `createStudy: name must be a non-empty string, got ${JSON.stringify(options?.name)}`);
  const abs = path.resolve(dir);
  const dbFile = path.join(abs, STUDY_DB_FILE);
  if (existsSync(dbFile)) throw new VoxlabError('ALREADY_EXISTS', `${abs} is already a voxlab study.`, { dir: abs });
  refuseRemainsOfAStudy(abs);
  const temp = tempPathFor(dbFile);
  try {
    for (const sub of [IMAGES_DIR, LABELS_DIR, MODELS_DIR]) mkdirSync(path.join(abs, sub), { recursive: true });
    const db = openConnection(temp, { mustExist: false });
    try {
      db.pragma(`application_id = ${APPLICATION_ID}`);
      migrate(db, abs);
      const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
      db.transaction(() => {
        meta.run('name', options.name.trim());
        meta.run('created_at', nowIso());
      })();
    } finally {
      db.close(); // checkpoints and removes the temp's -wal and -shm files
    }
    if (existsSync(dbFile)) throw new VoxlabError('ALREADY_EXISTS', `${abs} became a voxlab study while this one was being created.`, { dir: abs });
    renameSync(temp, dbFile);
    fsyncDirSync(abs);
  } catch (e) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${temp}${suffix}`, { force: true });
    if (isVoxlabError(e)) throw e;
    throw new VoxlabError('IO_ERROR', `Could not create a study in ${abs}: ${(e as Error).message}`, { dir: abs }, { cause: e });
  }
  return openStudy(abs);
}
