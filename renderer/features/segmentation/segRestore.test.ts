// Restore planning: only a version in the history, never the current one, with a note naming it.

import { describe, expect, it } from 'vitest';
import type { LabelmapVersion } from '../../../core/api/index.js';
import { planRestore } from './segRestore.js';

const version = (v: number, author = 'ana'): LabelmapVersion => ({
  imageId: 'img',
  version: v,
  shape: [2, 2, 2],
  author,
  createdAt: `2025-01-0${v}T10:00:00Z`,
  note: null,
  conflict: false,
  expectedVersion: v - 1,
});

describe('planRestore', () => {
  const history = [version(3), version(2, 'ben'), version(1)];
  it.each([
    { v: 2, current: 3, expected: { ok: true, note: 'Restored version 2 (by ben)' } },
    {
      v: 3,
      current: 3,
      expected: { ok: false, problem: 'Version 3 is the current labelmap already: nothing to restore.' },
    },
    {
      v: 7,
      current: 3,
      expected: { ok: false, problem: "Version 7 is not in this scan's labelmap history." },
    },
  ])('version $v with current $current', ({ v, current, expected }) => {
    expect(planRestore(history, v, current)).toEqual(expected);
  });
});
