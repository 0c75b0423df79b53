// The label store's undo stack: last in, first out, bounded.

import { beforeEach, describe, expect, it } from 'vitest';
import { useLabelStore } from './useLabelStore.js';

describe('useLabelStore', () => {
  beforeEach(() => useLabelStore.getState().reset());

  it('pops undo steps last first and returns null when empty', () => {
    const s = useLabelStore.getState();
    s.pushUndo({ imageId: 'a', previous: null, version: 1 });
    s.pushUndo({ imageId: 'b', previous: 'M', version: 4 });
    expect(useLabelStore.getState().popUndo()).toEqual({ imageId: 'b', previous: 'M', version: 4 });
    expect(useLabelStore.getState().popUndo()?.imageId).toBe('a');
    expect(useLabelStore.getState().popUndo()).toBeNull();
  });

  it('keeps the last 50 steps', () => {
    for (let v = 1; v <= 60; v++) useLabelStore.getState().pushUndo({ imageId: 'a', previous: null, version: v });
    expect(useLabelStore.getState().undo).toHaveLength(50);
    expect(useLabelStore.getState().undo[0]!.version).toBe(11);
  });
});
