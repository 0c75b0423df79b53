// Tab and Shift+Tab cycle inside a dialog.

import { describe, expect, it } from 'vitest';
import { nextFocusIndex } from './focusTrap.js';

describe('nextFocusIndex', () => {
  it.each([
    [3, 0, false, 1],
    [3, 2, false, 0],
    [3, 0, true, 2],
    [3, 1, true, 0],
    [3, -1, false, 0],
    [3, -1, true, 2],
    [1, 0, false, 0],
    [0, -1, false, null],
  ])('%i controls, at %i, backwards %s → %j', (count, current, backwards, want) => {
    expect(nextFocusIndex(count, current, backwards)).toBe(want);
  });
});
