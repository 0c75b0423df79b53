// The folder walk over fake FileSystemEntry trees (batches, nesting, clutter, unreadable entries) and the
// folder picker's file list.

import { describe, expect, it } from 'vitest';
import { chosenName, isClutter, pickedFromInput, walkEntries, type EntryLike, type FileLike } from './pickedFiles.js';

const fakeFile = (name: string, size = 4): FileLike => ({ name, size, arrayBuffer: async () => new ArrayBuffer(size) });

function fileEntry(fullPath: string, fails = false): EntryLike {
  const name = fullPath.split('/').pop()!;
  return {
    isFile: true,
    isDirectory: false,
    name,
    fullPath,
    file: (ok, fail) => (fails ? fail?.(new Error('NotReadableError')) : ok(fakeFile(name))),
  };
}

/** A directory whose reader answers in batches of `batch` entries, then an empty batch (as Chromium does). */
function dirEntry(fullPath: string, children: EntryLike[], batch = 2): EntryLike {
  return {
    isFile: false,
    isDirectory: true,
    name: fullPath.split('/').pop()!,
    fullPath,
    createReader: () => {
      let at = 0;
      return {
        readEntries: (ok) => {
          const slice = children.slice(at, at + batch);
          at += slice.length;
          ok(slice);
        },
      };
    },
  };
}

describe('walkEntries', () => {
  it('walks nested folders, reading every batch, leaving clutter out, in path order', async () => {
    const tree = dirEntry('/study', [
      fileEntry('/study/b.dcm'),
      fileEntry('/study/.DS_Store'),
      dirEntry('/study/S2', [fileEntry('/study/S2/IM0002'), fileEntry('/study/S2/IM0001'), fileEntry('/study/S2/IM0003')]),
      fileEntry('/study/a.dcm'),
      dirEntry('/study/.hidden', [fileEntry('/study/.hidden/x.dcm')]),
      fileEntry('/study/Thumbs.db'),
    ]);
    const { files, unreadable } = await walkEntries([tree, fileEntry('/loose.dcm')]);
    expect(files.map((f) => f.path)).toEqual([
      'loose.dcm',
      'study/S2/IM0001',
      'study/S2/IM0002',
      'study/S2/IM0003',
      'study/a.dcm',
      'study/b.dcm',
    ]);
    expect(files[0]!.file.name).toBe('loose.dcm');
    expect(unreadable).toEqual([]);
  });

  it('names the entries the browser would not read and keeps the rest', async () => {
    const { files, unreadable } = await walkEntries([dirEntry('/d', [fileEntry('/d/ok.dcm'), fileEntry('/d/locked.dcm', true)])]);
    expect(files.map((f) => f.path)).toEqual(['d/ok.dcm']);
    expect(unreadable).toEqual(['d/locked.dcm']);
  });

  it('walks a folder of more entries than one batch', async () => {
    const many = Array.from({ length: 250 }, (_, i) => fileEntry(`/big/${String(i).padStart(3, '0')}.dcm`));
    const { files } = await walkEntries([dirEntry('/big', many, 100)]);
    expect(files).toHaveLength(250);
    expect(files.at(-1)!.path).toBe('big/249.dcm');
  });

  it('finds nothing in an empty folder', async () => {
    expect((await walkEntries([dirEntry('/empty', [])])).files).toEqual([]);
  });
});

describe('pickedFromInput', () => {
  it('keeps the relative path of a folder picker, sorted, without clutter', () => {
    const list = [
      { ...fakeFile('IM2'), webkitRelativePath: 'trio/IM2' },
      { ...fakeFile('._IM1'), webkitRelativePath: 'trio/._IM1' },
      { ...fakeFile('IM1'), webkitRelativePath: 'trio/IM1' },
      { ...fakeFile('plain.dcm'), webkitRelativePath: '' },
    ];
    expect(pickedFromInput(list).map((f) => f.path)).toEqual(['plain.dcm', 'trio/IM1', 'trio/IM2']);
  });
});

describe('chosenName', () => {
  const picked = (...paths: string[]) => paths.map((path) => ({ file: fakeFile(path), path }));
  it.each([
    [picked('trio/a', 'trio/S2/b'), 'trio'],
    [picked('one/a', 'two/b'), '2 files'],
    [picked('single.dcm'), 'single.dcm'],
    [picked('x.dcm', 'y.dcm', 'z.dcm'), '3 files'],
  ])('names %j %j', (files, want) => {
    expect(chosenName(files)).toBe(want);
  });
});

describe('isClutter', () => {
  it.each([
    ['.DS_Store', true],
    ['._IM0001', true],
    ['Thumbs.db', true],
    ['desktop.ini', true],
    ['IM0001', false],
    ['DICOMDIR', false],
  ])('%s → %s', (name, want) => {
    expect(isClutter(name)).toBe(want);
  });
});
