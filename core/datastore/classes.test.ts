// Classes managed in the study: studies made before migration 2 get their classes registered (keys as the
// app gave them: i-th sorted class = key i), new labels register new classes, renames append label versions
// and never rewrite history, and bad input is refused with coded errors that name the problem.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VoxlabError } from '../common/errors.js';
import { CLASS_PALETTE, MIGRATION_AUTHOR } from './classRegistry.js';
import { importFolder } from './importFolder.js';
import { openStudy } from './openStudy.js';
import { SCHEMA_VERSION } from './schema.js';
import { openConnection } from './sqlite.js';
import type { Study } from './Study.js';
import { makeTempDirs, studyWithImages, writeTinyNifti } from './testing/fixtures.js';

const tmp = makeTempDirs();
let root: string;
let study: Study;
beforeEach(async () => {
  root = tmp.make();
  study = await studyWithImages(root, ['a', 'b', 'c', 'd']);
});
afterEach(() => {
  study.close();
  tmp.cleanup();
});

/** The error `f` throws (fails the test when it returns). */
function thrown(f: () => unknown): VoxlabError {
  try {
    f();
  } catch (e) {
    return e as VoxlabError;
  }
  throw new Error('expected an error');
}

/** Turns the closed study in `dir` into what voxlab wrote before migration 2: schema 1, none of the later tables. */
function downgradeToV1(dir: string): void {
  const db = openConnection(path.join(dir, 'voxlab.sqlite'), { mustExist: true });
  try {
    db.exec('DROP TABLE classes; DROP TABLE segments; DROP TABLE explanations; DROP TABLE image_sources; DROP TABLE sessions; DROP TABLE accounts; DROP TABLE audit; DROP TABLE reads;');
    db.pragma('user_version = 1');
  } finally {
    db.close();
  }
}

const summary = (s: Study) => s.listClasses().map((c) => [c.name, c.key, c.position, c.count]);

describe('a study saved before classes were managed (schema 1)', () => {
  it('keeps every label version and registers its current classes in sorted order, keys 1..n', () => {
    study.setClassLabel('a', 'M', { author: 'ana' });
    study.setClassLabel('b', 'F', { author: 'ana' });
    study.setClassLabel('c', 'M', { author: 'ben' });
    study.setClassLabel('c', 'control', { author: 'ben', note: 'second look' });
    study.setClassLabel('d', 'gone', { author: 'ana' });
    study.setClassLabel('d', null, { author: 'ana' }); // cleared: 'gone' is no current label
    const history = ['a', 'b', 'c', 'd'].map((id) => study.getLabelHistory(id));
    const dir = study.dir;
    study.close();
    downgradeToV1(dir);
    study = openStudy(dir);
    expect(study.info().schemaVersion).toBe(SCHEMA_VERSION);
    expect(['a', 'b', 'c', 'd'].map((id) => study.getLabelHistory(id))).toEqual(history);
    expect(summary(study)).toEqual([
      ['F', 1, 0, 1],
      ['M', 2, 1, 1],
      ['control', 3, 2, 1],
    ]);
    expect(study.listClasses().map((c) => c.colour)).toEqual(CLASS_PALETTE.slice(0, 3));
    expect(study.listClasses()[0]!.createdBy).toBe(MIGRATION_AUTHOR);
  });

  it('gives keys only to the first nine classes', () => {
    const names = Array.from({ length: 11 }, (_, k) => `c${String(k).padStart(2, '0')}`);
    for (const n of names) study.addClass({ name: n, author: 'ana' });
    expect(study.listClasses().map((c) => c.key)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, null, null]);
    expect(study.listClasses()[10]!.colour).toBe(CLASS_PALETTE[0]); // ten palette colours, then they repeat
  });
});

describe('registering classes as labels name them', () => {
  it('registers a new class from a label with the next key and colour; conflicts register nothing', () => {
    study.addClass({ name: 'lesion', author: 'ana', key: 1 });
    study.setClassLabel('a', 'control', { author: 'ben' });
    // Stale: kept as a conflict version, but no class is made from it.
    expect(thrown(() => study.setClassLabel('a', 'typo', { author: 'ben', expectedVersion: 0 })).code).toBe('LABEL_CONFLICT');
    expect(summary(study)).toEqual([
      ['lesion', 1, 0, 0],
      ['control', 2, 1, 1],
    ]);
    expect(study.getClass('control')).toMatchObject({ colour: CLASS_PALETTE[1], createdBy: 'ben' });
  });

  it('registers the classes of a CSV import in sorted order, whatever the row order', async () => {
    const src = path.join(root, 'csv-src');
    mkdirSync(src);
    for (const f of ['s1', 's2', 's3']) writeTinyNifti(path.join(src, `${f}.nii`));
    writeFileSync(path.join(src, 'labels.csv'), 'file,label\ns1.nii,zeta\ns2.nii,alpha\ns3.nii,mid\n');
    await importFolder(study, src, { labelsCsv: path.join(src, 'labels.csv'), author: 'importer' });
    expect(summary(study)).toEqual([
      ['alpha', 1, 0, 1],
      ['mid', 2, 1, 1],
      ['zeta', 3, 2, 1],
    ]);
  });
});

describe('adding and changing classes', () => {
  it('adds with defaults or given colour and key, in display order', () => {
    expect(study.addClass({ name: 'lesion', author: 'ana' })).toMatchObject({ name: 'lesion', key: 1, position: 0, count: 0, colour: CLASS_PALETTE[0] });
    expect(study.addClass({ name: 'control', author: 'ana', colour: '#00FF00', key: 5 })).toMatchObject({ key: 5, position: 1, colour: '#00ff00' });
    expect(study.addClass({ name: 'other', author: 'ana', key: null })).toMatchObject({ key: null, position: 2 });
    expect(study.listClasses().map((c) => c.name)).toEqual(['lesion', 'control', 'other']);
  });

  it.each([
    [{ name: '' }, 'BAD_ARGUMENT', /must not be empty/],
    [{ name: 'x'.repeat(201) }, 'BAD_ARGUMENT', /at most 200/],
    [{ name: ' padded' }, 'BAD_ARGUMENT', /spaces/],
    [{ name: 'tab\there' }, 'BAD_ARGUMENT', /control characters/],
    [{ name: '..' }, 'BAD_ARGUMENT', /cannot be a class name/],
    [{ name: 'ok', colour: 'red' }, 'BAD_ARGUMENT', /#rrggbb/],
    [{ name: 'ok', colour: '#fff' }, 'BAD_ARGUMENT', /#rrggbb/],
    [{ name: 'ok', key: 0 }, 'BAD_ARGUMENT', /1\.\.9/],
    [{ name: 'ok', key: 10 }, 'BAD_ARGUMENT', /1\.\.9/],
    [{ name: 'taken' }, 'ALREADY_EXISTS', /already has a class "taken"/],
    [{ name: 'ok', key: 1 }, 'BAD_ARGUMENT', /key 1 already sets the class "taken"/],
  ])('refuses %j with %s', (fields, code, message) => {
    study.addClass({ name: 'taken', author: 'ana', key: 1 });
    const e = thrown(() => study.addClass({ author: 'ana', ...fields }));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(study.listClasses()).toHaveLength(1);
  });

  it('recolours and re-keys without touching labels', () => {
    study.setClassLabel('a', 'F', { author: 'ana' });
    study.addClass({ name: 'M', author: 'ana' });
    const { record, relabeled } = study.updateClass({ name: 'F', colour: '#123456', key: 7, author: 'ben' });
    expect(record).toMatchObject({ name: 'F', colour: '#123456', key: 7, count: 1, updatedBy: 'ben' });
    expect(relabeled).toEqual([]);
    expect(study.getLabelHistory('a')).toHaveLength(1);
    expect(study.updateClass({ name: 'F', key: null, author: 'ben' }).record.key).toBeNull();
    expect(study.updateClass({ name: 'M', key: 7, author: 'ben' }).record.key).toBe(7); // 7 is free again
  });

  it('refuses unknown classes, taken names and held keys, changing nothing', () => {
    study.addClass({ name: 'F', author: 'ana' });
    study.addClass({ name: 'M', author: 'ana' });
    expect(thrown(() => study.updateClass({ name: 'X', colour: '#000000', author: 'a' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(thrown(() => study.updateClass({ name: 'F', newName: 'M', author: 'a' }))).toMatchObject({ code: 'ALREADY_EXISTS' });
    const held = thrown(() => study.updateClass({ name: 'F', key: 2, author: 'a' }));
    expect(held.code).toBe('BAD_ARGUMENT');
    expect(held.message).toContain('"M"');
    expect(thrown(() => study.updateClass({ name: 'F', newName: '', author: 'a' })).code).toBe('BAD_ARGUMENT');
    expect(thrown(() => study.updateClass({ name: 'F', colour: 'blue', author: 'a' })).code).toBe('BAD_ARGUMENT');
    expect(summary(study)).toEqual([
      ['F', 1, 0, 0],
      ['M', 2, 1, 0],
    ]);
  });
});

describe('renaming a class', () => {
  it('appends a version "renamed from <old>" to each image currently labeled so, keeping history', () => {
    study.setClassLabel('a', 'F', { author: 'ana' });
    study.setClassLabel('b', 'F', { author: 'ana' });
    study.setClassLabel('b', 'M', { author: 'ben' }); // was F, now M: not renamed
    study.setClassLabel('c', 'M', { author: 'ana' });
    thrown(() => study.setClassLabel('c', 'F', { author: 'ana', expectedVersion: 0 })); // F only as a pending conflict
    const before = study.getLabelHistory('a');
    const { record, relabeled } = study.updateClass({ name: 'F', newName: 'female', author: 'carol' });
    expect(record).toMatchObject({ name: 'female', key: 1, position: 0, count: 1 });
    expect(relabeled).toEqual([{ imageId: 'a', version: 2 }]);
    const history = study.getLabelHistory('a');
    expect(history.slice(0, 1)).toEqual(before);
    expect(history[1]).toMatchObject({ version: 2, label: 'female', author: 'carol', note: 'renamed from F', conflict: false });
    expect(study.getLabelHistory('b').map((v) => v.label)).toEqual(['F', 'M']);
    expect(study.getClassLabel('c')).toMatchObject({ label: 'M', version: 1 });
    expect(study.listClasses().map((c) => c.name)).toEqual(['female', 'M']);
    expect(study.listLabelClasses()).toEqual(['M', 'female']);
  });

  it('rolls back the rename and every label when one write fails', () => {
    study.setClassLabel('a', 'F', { author: 'ana' });
    study.setClassLabel('b', 'F', { author: 'ana' });
    study.db.exec(`CREATE TRIGGER fail_b BEFORE INSERT ON class_labels WHEN NEW.image_id = 'b' AND NEW.label = 'G'
      BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END;`);
    expect(() => study.updateClass({ name: 'F', newName: 'G', author: 'ana' })).toThrow(/simulated/);
    expect(study.getLabelHistory('a')).toHaveLength(1);
    expect(summary(study)).toEqual([['F', 1, 0, 2]]);
  });
});
