// The one place that loads the native better-sqlite3 package (shared/STYLE.md: native packages are
// imported lazily, in one place) and opens connections with voxlab's pragmas.

import { unpackedRequire } from '../runtime/packagedPath.js';
import type BetterSqlite3 from 'better-sqlite3';
import { VoxlabError } from '../common/errors.js';

/** An open better-sqlite3 connection. */
export type SqliteDb = BetterSqlite3.Database;

/**
 * Names the better-sqlite3 addon (.node file) to load instead of the package's own build. Honoured only in
 * Electron (process.versions.electron), whose Node has another NODE_MODULE_VERSION than the system Node that
 * `npm ci` compiled the package for: the desktop app sets it to the Electron build kept beside the Node one
 * (electron/native/, issue #17), and the CLI and tests, on plain Node, always load the package's own build.
 */
export const SQLITE_BINDING_ENV = 'VOXLAB_SQLITE_BINDING';

/** The addon file `openConnection` loads: the one SQLITE_BINDING_ENV names, under Electron; else null (the package's own). */
export function sqliteBindingPath(env: NodeJS.ProcessEnv, versions: NodeJS.ProcessVersions): string | null {
  const file = env[SQLITE_BINDING_ENV];
  return versions.electron !== undefined && file !== undefined && file !== '' ? file : null;
}

type Driver = (file: string, options: BetterSqlite3.Options) => SqliteDb;
let driver: Driver | undefined;

/**
 * Loads better-sqlite3 with the addon `binding` (null: the package's own build) and proves the addon loads
 * by opening an in-memory database: better-sqlite3 loads its addon only at the first `new Database`, where
 * a wrong-ABI addon would otherwise pass for a damaged study. Throws INTERNAL naming the module and the
 * addon, with the loader's error as `cause` (the Electron core process turns that into words and a fix).
 */
export function loadSqliteDriver(binding: string | null): Driver {
  try {
    const Database = unpackedRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
    const withBinding = (options: BetterSqlite3.Options) =>
      binding === null ? options : { ...options, nativeBinding: binding };
    new Database(':memory:', withBinding({})).close();
    return (file, options) => new Database(file, withBinding(options));
  } catch (e) {
    throw new VoxlabError(
      'NATIVE_MODULE',
      `The SQLite driver (better-sqlite3) could not be loaded, so no study can be opened: ${(e as Error).message}. Reinstalling voxlab usually fixes this.`,
      { module: 'better-sqlite3', ...(binding !== null ? { binding } : {}) },
      { cause: e },
    );
  }
}

/** Loads better-sqlite3 on first use, so that code which never opens a study never loads native code. */
function loadDriver(): Driver {
  driver ??= loadSqliteDriver(sqliteBindingPath(process.env, process.versions));
  return driver;
}

/** How long a connection waits for another process's write lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens `file` and sets voxlab's pragmas:
 * - `journal_mode = WAL`: readers never block the writer, and a killed writer leaves a WAL that the next
 *   open rolls back or forward.
 * - `synchronous = FULL`: every commit fsyncs the WAL, so an acknowledged label survives a power cut, not
 *   only a crash of the process (NORMAL would lose the last commits on power loss). Label writes come at
 *   human speed and imports are one transaction, so the extra fsync per commit costs nothing noticeable.
 * - `foreign_keys = ON`, `busy_timeout = 5000` ms (a server and a CLI may share one study).
 * Throws whatever better-sqlite3 throws (e.g. SQLITE_NOTADB); callers turn that into STUDY_INVALID.
 * On a full disk a write fails with code 'SQLITE_FULL' (a WAL that cannot grow, at the statement or at
 * COMMIT) and better-sqlite3 rolls its transaction back; common/errors' isDiskFull recognises it and the
 * server answers DISK_FULL. Committed frames stay in the WAL; a checkpoint that could not grow the database
 * file is simply retried later (core/server/reliability/diskFull.ts checks all of this on a real tmpfs).
 */
export function openConnection(file: string, options: { readonly mustExist: boolean }): SqliteDb {
  const db = loadDriver()(file, { fileMustExist: options.mustExist });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}
