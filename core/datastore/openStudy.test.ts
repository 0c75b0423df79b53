import { closeSync, mkdirSync, openSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStudy, openStudy } from './openStudy.js';
import { SCHEMA_VERSION } from './schema.js';
import { openConnection } from './sqlite.js';
import { makeTempDirs } from './testing/fixtures.js';

const tmp = makeTempDirs();
afterEach(tmp.cleanup);

describe('createStudy / openStudy', () => {
  it('creates the folder layout and a database with voxlab pragmas, and reopens it', () => {
    const dir = path.join(tmp.make(), 'brain study');
    const study = createStudy(dir, { name: 'IXI sex' });
    expect(study.info()).toMatchObject({ dir, name: 'IXI sex', schemaVersion: SCHEMA_VERSION });
    expect(Date.parse(study.info().createdAt)).toBeGreaterThan(Date.parse('2020-01-01'));
    expect(study.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(study.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(study.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(study.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    study.close();
    expect(readdirSync(dir).sort()).toEqual(['images', 'labels', 'models', 'voxlab.sqlite']);
    const again = openStudy(dir);
    expect(again.info().name).toBe('IXI sex');
    again.close();
  });

  it('creates on open when asked, named after the folder', () => {
    const dir = path.join(tmp.make(), 'auto');
    const study = openStudy(dir, { create: true });
    expect(study.info().name).toBe('auto');
    study.close();
  });

  it.each([
    ['a -wal file', (d: string) => writeFileSync(path.join(d, 'voxlab.sqlite-wal'), 'frames')],
    ['a labels/ folder with files', (d: string) => (mkdirSync(path.join(d, 'labels', 'x'), { recursive: true }), writeFileSync(path.join(d, 'labels', 'x', 'seg-v1.nii.gz'), ''))],
  ])('refuses to create a study over the remains of one (%s)', (_what, leave) => {
    const dir = tmp.make();
    leave(dir);
    expect(() => openStudy(dir, { create: true })).toThrow(expect.objectContaining({ code: 'STUDY_INVALID', message: expect.stringMatching(/put the study's voxlab.sqlite back/) }));
    expect(readdirSync(dir)).not.toContain('voxlab.sqlite');
  });

  it('refuses to create a study twice', () => {
    const dir = tmp.make();
    createStudy(dir, { name: 'one' }).close();
    expect(() => createStudy(dir, { name: 'two' })).toThrow(expect.objectContaining({ code: 'ALREADY_EXISTS' }));
    expect(() => createStudy(tmp.make(), { name: '  ' })).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
  });
});

describe('openStudy on things that are not studies', () => {
  const cases: [string, string, RegExp, (dir: string) => string][] = [
    ['a folder without voxlab.sqlite', 'STUDY_INVALID', /is not a voxlab study: it has no voxlab.sqlite/, (d) => d],
    ['a missing folder', 'NOT_FOUND', /no folder/, (d) => path.join(d, 'nope')],
    ['a file', 'STUDY_INVALID', /is a file/, (d) => (writeFileSync(path.join(d, 'f.txt'), 'x'), path.join(d, 'f.txt'))],
    ['a text file named voxlab.sqlite', 'STUDY_INVALID', /damaged or is not a voxlab database/, (d) => (writeFileSync(path.join(d, 'voxlab.sqlite'), 'hello '.repeat(200)), d)],
    ['an empty voxlab.sqlite', 'STUDY_INVALID', /voxlab.sqlite is empty/, (d) => (writeFileSync(path.join(d, 'voxlab.sqlite'), ''), d)],
    [
      'another program’s SQLite database',
      'STUDY_INVALID',
      /belongs to another program/,
      (d) => {
        const db = openConnection(path.join(d, 'voxlab.sqlite'), { mustExist: false });
        db.exec('CREATE TABLE t (x)');
        db.close();
        return d;
      },
    ],
    [
      'a study from a newer voxlab',
      'STUDY_INVALID',
      /newer version of voxlab/,
      (d) => {
        createStudy(d, { name: 'future' }).close();
        const db = openConnection(path.join(d, 'voxlab.sqlite'), { mustExist: true });
        db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
        db.close();
        return d;
      },
    ],
  ];
  it.each(cases)('%s → %s', (_what, code, message, make) => {
    const dir = make(tmp.make());
    expect(() => openStudy(dir)).toThrow(expect.objectContaining({ code, message: expect.stringMatching(message) }));
  });

  it.each([
    ['its header', 0],
    ['a table page', 4096 * 8],
  ])('reports a database with %s overwritten as STUDY_INVALID', (_what, offset) => {
    const dir = tmp.make();
    const study = createStudy(dir, { name: 'to be damaged' });
    study.db.exec(`CREATE TABLE filler (x TEXT);
      WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 200) INSERT INTO filler SELECT hex(randomblob(500)) FROM n`);
    study.close();
    const fd = openSync(path.join(dir, 'voxlab.sqlite'), 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, offset);
    closeSync(fd);
    expect(() => openStudy(dir)).toThrow(expect.objectContaining({ code: 'STUDY_INVALID', message: expect.stringMatching(/damaged/) }));
  });
});
