// Edits and segments in words (the undo notices and version notes).

import { describe, expect, it } from 'vitest';
import { describeEdit, segmentLabel } from './segWords.js';

const patch = (n: number) => ({ index: Array.from({ length: n }, (_, i) => i), before: [], after: [] });

describe('segmentation words', () => {
  const segments = [{ value: 2, name: 'lesion', colour: '#ff0000' }];
  it.each([
    {
      edit: { what: 'a brush stroke', value: 2, patch: patch(37) },
      text: "a brush stroke (segment 'lesion', 37 voxels)",
    },
    {
      edit: { what: 'a sphere brush stroke', value: 5, patch: patch(1) },
      text: 'a sphere brush stroke (segment 5, 1 voxel)',
    },
    { edit: { what: 'an eraser stroke', value: 0, patch: patch(3) }, text: 'an eraser stroke (3 voxels)' },
  ])('$text', ({ edit, text }) => expect(describeEdit(edit, segments)).toBe(text));
  it('names segments', () => {
    expect(segmentLabel(segments, 2)).toBe("segment 'lesion'");
    expect(segmentLabel(segments, 9)).toBe('segment 9');
  });
});
