// The one place that loads the native better-sqlite3 package (shared/STYLE.md: native packages are
// imported lazily, in one place) and opens connections with voxlab's pragmas.

import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { VoxlabError } from '../common/errors.js';

/** An open better-sqlite3 connection. */
export type SqliteDb = BetterSqlite3.Database;

let driver: typeof BetterSqlite3 | undefined;

/** Loads better-sqlite3 on first use, so that code which never opens a study never loads native code. */
function loadDriver(): typeof BetterSqlite3 {
  if (driver === undefined) {
    try {
      driver = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
    } catch (e) {
      throw new VoxlabError(
        'INTERNAL',
        `The SQLite driver (better-sqlite3) could not be loaded, so no study can be opened: ${(e as Error).message}. Reinstalling voxlab usually fixes this.`,
        undefined,
        { cause: e },
      );
    }
  }
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
 */
export function openConnection(file: string, options: { readonly mustExist: boolean }): SqliteDb {
  const Database = loadDriver();
  const db = new Database(file, { fileMustExist: options.mustExist });
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
