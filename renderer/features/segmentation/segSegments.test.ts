// Segment edits checked before they are sent, and the next free segment value.

import { describe, expect, it } from 'vitest';
import { freeSegmentValue, segmentProblem } from './segSegments.js';

describe('segments', () => {
  it.each([
    { value: 1, name: 'lesion', colour: '#a0b0c0', problem: null },
    { value: 0, name: 'x', colour: '#a0b0c0', problem: /1 to 255, not 0/ },
    { value: 3, name: '  ', colour: '#a0b0c0', problem: /needs a name/ },
    { value: 3, name: 'x', colour: 'red', problem: /'red' is not a colour/ },
  ])('checks value $value, name "$name", colour $colour', ({ value, name, colour, problem }) => {
    const got = segmentProblem(value, name, colour);
    if (problem === null) expect(got).toBeNull();
    else expect(got).toMatch(problem);
  });
  it('finds the smallest value not shown as a row', () => {
    expect(freeSegmentValue([1, 2, 3, 5])).toBe(4);
    expect(freeSegmentValue([])).toBe(1);
    expect(freeSegmentValue(Array.from({ length: 255 }, (_, i) => i + 1))).toBeNull();
  });
});
