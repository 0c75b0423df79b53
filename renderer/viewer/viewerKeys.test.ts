// The viewer's keys: M cycles layouts, V the focus view, W/L/E/Q choose the left button's tool, Esc drops a
// half-drawn measurement.

import { beforeEach, describe, expect, it } from 'vitest';
import { useMeasureStore } from '../stores/useMeasureStore.js';
import { useViewerStore } from '../stores/useViewerStore.js';
import { escapeMeasure, handleViewerKey } from './viewerKeys.js';

describe('handleViewerKey', () => {
  beforeEach(() => {
    useViewerStore.getState().reset();
    useMeasureStore.getState().reset();
  });

  it('M cycles 1x3 -> 1+2 -> 1x1 -> 1x3', () => {
    const seen = [useViewerStore.getState().layout];
    for (let i = 0; i < 3; i++) {
      expect(handleViewerKey('m')).toBe(true);
      seen.push(useViewerStore.getState().layout);
    }
    expect(seen).toEqual(['1x3', 'primary', '1x1', '1x3']);
  });

  it('V moves the focus to the next view, showing it alone when all three were shown', () => {
    handleViewerKey('v');
    expect(useViewerStore.getState()).toMatchObject({ layout: '1x1', focusView: 'coronal' });
    useViewerStore.getState().setLayout('primary');
    handleViewerKey('v');
    expect(useViewerStore.getState()).toMatchObject({ layout: 'primary', focusView: 'sagittal' });
  });

  it('L, E, Q pick a measuring tool (again: back to window/level), W window/level; other keys pass', () => {
    handleViewerKey('l');
    expect(useMeasureStore.getState().tool).toBe('length');
    handleViewerKey('q');
    expect(useMeasureStore.getState().tool).toBe('rectangle');
    handleViewerKey('q');
    expect(useMeasureStore.getState().tool).toBe('none');
    handleViewerKey('e');
    handleViewerKey('w');
    expect(useMeasureStore.getState().tool).toBe('none');
    expect(handleViewerKey('n')).toBe(false);
  });

  it('Esc drops the measurement being drawn, and says whether there was one', () => {
    expect(escapeMeasure()).toBe(false);
    useMeasureStore.getState().startDraft({ kind: 'length', view: 'axial', a: [0, 0, 0], b: [1, 0, 0], viewUp: [0, -1, 0], normal: [0, 0, 1] });
    expect(escapeMeasure()).toBe(true);
    expect(useMeasureStore.getState().draft).toBeNull();
  });
});
