// The label store's undo stack (last in, first out, bounded, per scan) and its unsaved writes (one per
// scan, kept across a reload).

import { browserStorage } from './browserStorage.js';
import { installMemoryStorage } from './testing/memoryStorage.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { UNSAVED_KEY, useLabelStore, type UnsavedLabel } from './useLabelStore.js';

const write = (imageId: string, label: string | null): UnsavedLabel => ({
  imageId,
  label,
  author: 'dr-a',
  expectedVersion: 1,
  at: '2026-12-06T10:00:00Z',
  why: 'the server cannot be reached',
});

describe('useLabelStore', () => {
  beforeEach(() => {
    installMemoryStorage();
    useLabelStore.getState().reset();
  });

  it('pops undo steps last first and returns null when empty', () => {
    const s = useLabelStore.getState();
    s.pushUndo({ imageId: 'a', previous: null, version: 1 });
    s.pushUndo({ imageId: 'b', previous: 'M', version: 4 });
    expect(useLabelStore.getState().popUndo()).toEqual({ imageId: 'b', previous: 'M', version: 4 });
    expect(useLabelStore.getState().popUndo()?.imageId).toBe('a');
    expect(useLabelStore.getState().popUndo()).toBeNull();
  });

  it('undoes only changes of the scan asked for', () => {
    const s = useLabelStore.getState();
    s.pushUndo({ imageId: 'a', previous: null, version: 1 });
    s.pushUndo({ imageId: 'b', previous: 'M', version: 4 });
    s.pushUndo({ imageId: 'a', previous: 'F', version: 2 });
    expect(useLabelStore.getState().popUndoFor('c')).toBeNull();
    expect(useLabelStore.getState().popUndoFor('a')).toMatchObject({ imageId: 'a', version: 2 });
    expect(useLabelStore.getState().popUndoFor('a')).toMatchObject({ imageId: 'a', version: 1 });
    expect(useLabelStore.getState().popUndoFor('a')).toBeNull();
    expect(useLabelStore.getState().undo.map((c) => c.imageId)).toEqual(['b']);
  });

  it('keeps the last 50 steps', () => {
    for (let v = 1; v <= 60; v++) useLabelStore.getState().pushUndo({ imageId: 'a', previous: null, version: v });
    expect(useLabelStore.getState().undo).toHaveLength(50);
    expect(useLabelStore.getState().undo[0]!.version).toBe(11);
  });

  it('keeps one unsaved write per scan, the last answer winning, and remembers them across a reload', () => {
    const s = useLabelStore.getState();
    s.keepUnsaved(write('a', 'M'));
    s.keepUnsaved(write('b', 'F'));
    s.keepUnsaved(write('a', 'F'));
    expect(useLabelStore.getState().unsaved.map((w) => [w.imageId, w.label])).toEqual([
      ['b', 'F'],
      ['a', 'F'],
    ]);
    expect(JSON.parse(browserStorage()!.getItem(UNSAVED_KEY)!)).toHaveLength(2);
    useLabelStore.setState({ unsaved: [] });
    useLabelStore.getState().reset(); // a reload reads them back
    expect(useLabelStore.getState().unsaved).toHaveLength(2);
    useLabelStore.getState().dropUnsaved('a');
    useLabelStore.getState().dropUnsaved('b');
    expect(browserStorage()!.getItem(UNSAVED_KEY)).toBeNull();
  });
});
