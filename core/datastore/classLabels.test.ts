import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isVoxlabError } from '../common/errors.js';
import type { Study } from './Study.js';
import { makeTempDirs, studyWithImages } from './testing/fixtures.js';

const tmp = makeTempDirs();
let study: Study;
beforeEach(async () => {
  study = await studyWithImages(tmp.make(), ['a', 'b']);
});
afterEach(() => {
  study.close();
  tmp.cleanup();
});

describe('class label history', () => {
  it('appends a version per change, clearing included, and never rewrites one', () => {
    expect(study.getClassLabel('a')).toMatchObject({ label: null, version: 0, author: null, pendingConflicts: [] });
    const v1 = study.setClassLabel('a', 'F', { author: 'ana' });
    const v2 = study.setClassLabel('a', 'M', { author: 'ben', note: 'looked again' });
    const v3 = study.setClassLabel('a', null, { author: 'ana' });
    expect([v1.version, v2.version, v3.version]).toEqual([1, 2, 3]);
    expect(study.getLabelHistory('a').map((v) => [v.version, v.label, v.author, v.note, v.conflict])).toEqual([
      [1, 'F', 'ana', null, false],
      [2, 'M', 'ben', 'looked again', false],
      [3, null, 'ana', null, false],
    ]);
    expect(study.getClassLabel('a')).toMatchObject({ label: null, version: 3, author: 'ana' });
    expect(study.getLabelHistory('b')).toEqual([]);
    expect(() => study.db.prepare("UPDATE class_labels SET label = 'X'").run()).toThrow(/append-only/);
    expect(() => study.db.prepare('DELETE FROM class_labels').run()).toThrow(/append-only/);
    expect(study.getLabelHistory('a')).toHaveLength(3);
  });

  it('accepts a write against the current version (0 = none yet)', () => {
    expect(study.setClassLabel('a', 'F', { author: 'ana', expectedVersion: 0 }).version).toBe(1);
    expect(study.setClassLabel('a', 'M', { author: 'ana', expectedVersion: 1 }).version).toBe(2);
    expect(study.getClassLabel('a').label).toBe('M');
  });

  it('keeps a stale write as a flagged version, reports LABEL_CONFLICT, and leaves the current label', () => {
    study.setClassLabel('a', 'F', { author: 'ana', expectedVersion: 0 });
    let error: unknown;
    try {
      study.setClassLabel('a', 'M', { author: 'ben', expectedVersion: 0 });
    } catch (e) {
      error = e;
    }
    expect(isVoxlabError(error) && error.code).toBe('LABEL_CONFLICT');
    expect((error as { details: unknown }).details).toEqual({ imageId: 'a', expectedVersion: 0, currentVersion: 1, storedVersion: 2 });
    const state = study.getClassLabel('a');
    expect(state).toMatchObject({ label: 'F', version: 1, author: 'ana' });
    expect(state.pendingConflicts.map((v) => [v.version, v.label, v.author, v.conflict, v.expectedVersion])).toEqual([[2, 'M', 'ben', true, 0]]);
    // Resolving: ana, having seen the conflict, writes against the current version 1.
    expect(study.setClassLabel('a', 'M', { author: 'ana', expectedVersion: 1, note: 'agreed with ben' }).version).toBe(3);
    expect(study.getClassLabel('a')).toMatchObject({ label: 'M', version: 3, pendingConflicts: [] });
    expect(study.getLabelHistory('a').map((v) => v.author)).toEqual(['ana', 'ben', 'ana']);
  });

  it('derives the label classes from current labels', () => {
    study.setClassLabel('a', 'M', { author: 'x' });
    study.setClassLabel('b', 'typo', { author: 'x' });
    study.setClassLabel('b', 'F', { author: 'x' });
    expect(study.listLabelClasses()).toEqual(['F', 'M']);
  });

  it.each([
    ['an unknown image', () => study.setClassLabel('zz', 'F', { author: 'a' }), 'NOT_FOUND'],
    ['an empty label', () => study.setClassLabel('a', '', { author: 'a' }), 'BAD_ARGUMENT'],
    ['a missing author', () => study.setClassLabel('a', 'F', { author: ' ' }), 'BAD_ARGUMENT'],
    ['a negative expected version', () => study.setClassLabel('a', 'F', { author: 'a', expectedVersion: -1 }), 'BAD_ARGUMENT'],
    ['a malformed id', () => study.getClassLabel('../x'), 'BAD_ARGUMENT'],
  ])('refuses %s', (_what, call, code) => {
    expect(call).toThrow(expect.objectContaining({ code }));
    expect(study.getLabelHistory('a')).toEqual([]);
  });
});

describe('image status', () => {
  it('goes unlabeled → predicted → labeled → (cleared) predicted, and lists by status', () => {
    const status = () => study.getImage('a').status;
    expect(status()).toBe('unlabeled');
    study.recordPrediction('a', { modelId: 'm1', classes: ['F', 'M'], probabilities: [0.2, 0.8], label: 'M' });
    expect(status()).toBe('predicted');
    expect(study.getImage('a').prediction).toMatchObject({ modelId: 'm1', label: 'M' });
    study.setClassLabel('a', 'F', { author: 'ana' });
    expect(study.getImage('a')).toMatchObject({ status: 'labeled', label: 'F', labelVersion: 1 });
    study.setClassLabel('a', null, { author: 'ana' });
    expect(study.getImage('a')).toMatchObject({ status: 'predicted', label: null, labelVersion: 2 });
    expect(study.listImages({ status: 'unlabeled' }).map((i) => i.id)).toEqual(['b']);
    expect(study.listImages({ status: 'predicted' }).map((i) => i.id)).toEqual(['a']);
  });

  it('does not count a conflict version as the human label', () => {
    study.setClassLabel('a', 'F', { author: 'ana' });
    study.setClassLabel('a', null, { author: 'ana' });
    expect(() => study.setClassLabel('a', 'M', { author: 'ben', expectedVersion: 1 })).toThrow(expect.objectContaining({ code: 'LABEL_CONFLICT' }));
    expect(study.getImage('a')).toMatchObject({ status: 'unlabeled', label: null, labelVersion: 2 });
  });
});
