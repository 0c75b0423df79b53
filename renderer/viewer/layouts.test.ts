// Layout rules: which panes are hidden, which takes the large cell, the M key's cycle.

import { describe, expect, it } from 'vitest';
import { VIEWS } from '../stores/useViewerStore.js';
import { LAYOUT_NAMES, nextLayout, paneHidden, paneSlot } from './layouts.js';

describe('layouts', () => {
  it.each([
    ['1x3', 'coronal', [false, false, false]],
    ['primary', 'coronal', [false, false, false]],
    ['1x1', 'coronal', [true, false, true]],
    ['1x1', 'axial', [false, true, true]],
  ] as const)('%s with focus %s hides %j', (layout, focus, hidden) => {
    expect(VIEWS.map((v) => paneHidden(layout, focus, v))).toEqual(hidden);
  });

  it('the primary layout gives the focus view the large cell', () => {
    expect(VIEWS.map((v) => paneSlot('primary', 'sagittal', v))).toEqual(['side', 'side', 'focus']);
    expect(paneSlot('1x3', 'sagittal', 'sagittal')).toBeNull();
  });

  it('M cycles through every layout and back', () => {
    let layout = LAYOUT_NAMES[0]!;
    const seen = new Set<string>();
    for (let i = 0; i < LAYOUT_NAMES.length; i++) {
      seen.add(layout);
      layout = nextLayout(layout);
    }
    expect(seen.size).toBe(LAYOUT_NAMES.length);
    expect(layout).toBe(LAYOUT_NAMES[0]);
  });
});
