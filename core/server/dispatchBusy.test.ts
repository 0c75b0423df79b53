// SQLite's "database is locked" (another process held the study's write lock past busy_timeout) reaches a
// client as STUDY_BUSY (503, retry), not as a 500 INTERNAL "bug in voxlab" (issue #15's load campaign).

import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { VoxlabError } from '../common/errors.js';
import { openConnection } from '../datastore/sqlite.js';
import { makeTempDirs } from '../datastore/testing/fixtures.js';
import { dispatch } from './dispatch.js';
import { httpStatusOf } from './httpStatus.js';
import type { Handlers } from './service/context.js';

const temp = makeTempDirs();
afterAll(() => temp.cleanup());

it('answers STUDY_BUSY (503) when a handler meets a database another connection keeps locked', async () => {
  const file = path.join(temp.make('voxlab-busy-'), 'db.sqlite');
  const holder = openConnection(file, { mustExist: false });
  holder.exec('CREATE TABLE t (x INTEGER)');
  const writer = openConnection(file, { mustExist: true });
  writer.pragma('busy_timeout = 0');
  holder.exec('BEGIN IMMEDIATE');
  try {
    const handlers = {
      'server.info': async () => writer.prepare('INSERT INTO t VALUES (1)').run(),
    } as unknown as Handlers;
    const e = (await dispatch(handlers, 'server.info', {}).catch((x: unknown) => x)) as VoxlabError;
    expect(e.code).toBe('STUDY_BUSY');
    expect(e.message).toMatch(/^server\.info: the study is busy.*try again\.$/);
    expect((e.cause as { code?: string }).code).toBe('SQLITE_BUSY');
    expect(httpStatusOf(e)).toBe(503);
  } finally {
    holder.exec('ROLLBACK');
    writer.close();
    holder.close();
  }
});
