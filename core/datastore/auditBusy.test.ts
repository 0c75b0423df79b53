// The audit log is appended while another connection writes (the training worker, a CLI): a deferred
// transaction that reads the last hash and then inserts cannot wait for the write lock in WAL mode
// (SQLite answers SQLITE_BUSY at once, busy_timeout unused), so the server answered 500 "database is
// locked" to writes it had saved (issue #15's load campaign). Every audit append must wait its turn.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { appendAudit, listAudit } from './audit.js';
import { STUDY_DB_FILE } from './layout.js';
import { REPO_ROOT, makeTempDirs, studyWithImages } from './testing/fixtures.js';

const temp = makeTempDirs();
afterAll(() => temp.cleanup());

/** Another process that takes the study's write lock for 15 ms, 30 times a second, until killed. */
const OTHER_WRITER = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
db.pragma('busy_timeout = 5000');
db.exec('CREATE TABLE IF NOT EXISTS other_writer (at INTEGER)');
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
process.stdout.write('ready\\n');
for (;;) {
  db.exec('BEGIN IMMEDIATE');
  db.prepare('INSERT INTO other_writer VALUES (?)').run(Date.now());
  sleep(15);
  db.exec('COMMIT');
  sleep(18);
}
`;

it('appends audit rows while another connection keeps writing, never failing with "database is locked"', async () => {
  const root = temp.make('voxlab-audit-busy-');
  const study = await studyWithImages(root, ['a']);
  const other = spawn(process.execPath, ['-e', OTHER_WRITER, path.join(study.dir, STUDY_DB_FILE)], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      other.stdout.once('data', () => resolve());
      other.once('exit', (code) => reject(new Error(`the other writer exited ${code}`)));
    });
    const failures: string[] = [];
    let appended = 0;
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      try {
        appendAudit(study, { account: 'load', role: 'annotator', method: 'labels.set', target: 'a' });
        appended++;
      } catch (e) {
        failures.push((e as Error).message);
      }
      // Let the event loop breathe: the calls are synchronous.
      await new Promise((r) => setImmediate(r));
    }
    expect(failures.slice(0, 3)).toEqual([]);
    expect(appended).toBeGreaterThan(20);
    expect(listAudit(study, { method: 'labels.set', limit: appended + 10 })).toHaveLength(appended);
  } finally {
    other.kill('SIGKILL');
    study.close();
  }
}, 30_000);
