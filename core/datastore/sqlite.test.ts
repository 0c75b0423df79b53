// Which better-sqlite3 addon a process loads (issue #17): the package's own build on plain Node; the file
// VOXLAB_SQLITE_BINDING names only under Electron; a failing addon is an INTERNAL error naming it.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VoxlabError } from '../common/errors.js';
import { loadSqliteDriver, SQLITE_BINDING_ENV, sqliteBindingPath } from './sqlite.js';

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const OWN_BUILD = path.join(REPO, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
const node = { node: '20.19.0', modules: '115' } as NodeJS.ProcessVersions;
const electron = { ...node, electron: '45.5.0', modules: '150' } as NodeJS.ProcessVersions;

describe('sqliteBindingPath', () => {
  it.each([
    [
      'plain Node ignores the variable (CLI, tests)',
      { [SQLITE_BINDING_ENV]: '/e/better_sqlite3.node' },
      node,
      null,
    ],
    [
      'Electron with the variable',
      { [SQLITE_BINDING_ENV]: '/e/better_sqlite3.node' },
      electron,
      '/e/better_sqlite3.node',
    ],
    ['Electron without it', {}, electron, null],
    ['Electron with it empty', { [SQLITE_BINDING_ENV]: '' }, electron, null],
  ])('%s', (_what, env, versions, want) => {
    expect(sqliteBindingPath(env, versions)).toBe(want);
  });
});

describe('loadSqliteDriver', () => {
  it('opens databases with an addon named by path (the real build here)', () => {
    const db = loadSqliteDriver(OWN_BUILD)(':memory:', {});
    expect(db.prepare('SELECT 1 + 1 AS n').get()).toEqual({ n: 2 });
    db.close();
  });

  it('fails at load, not at the first study, naming the module and the addon', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'voxlab-sqlite-'));
    try {
      const bad = path.join(dir, 'better_sqlite3.node');
      writeFileSync(bad, 'not an addon');
      let thrown: unknown;
      try {
        loadSqliteDriver(bad);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(VoxlabError);
      expect((thrown as VoxlabError).code).toBe('NATIVE_MODULE');
      expect((thrown as VoxlabError).details).toEqual({ module: 'better-sqlite3', binding: bad });
      expect(((thrown as VoxlabError).cause as { code?: string }).code).toBe('ERR_DLOPEN_FAILED');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
