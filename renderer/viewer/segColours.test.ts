// Segment colours: defaults, parsing and the overlay lookup table with visibility and opacity.

import { describe, expect, it } from 'vitest';
import { defaultColour, hexToRgb, overlayLookupTable, segmentColour } from './segColours.js';

describe('segment colours', () => {
  it('parses #rrggbb and refuses other strings', () => {
    expect(hexToRgb('#ff8000')).toEqual([255, 128, 0]);
    expect(hexToRgb('#A0b1C2')).toEqual([160, 177, 194]);
    expect(() => hexToRgb('red')).toThrow(/'red' is not a #rrggbb colour/);
  });

  it('uses the study colour, else a repeating default', () => {
    const segments = [{ value: 2, name: 'lesion', colour: '#00ff00' }];
    expect(segmentColour(segments, 2)).toBe('#00ff00');
    expect(segmentColour(segments, 1)).toBe(defaultColour(1));
    expect(defaultColour(9)).toBe(defaultColour(1));
  });

  it('packs RGBA per value, transparent for background, hidden and opacity 0', () => {
    const segments = [{ value: 1, name: 'a', colour: '#102030' }];
    const table = overlayLookupTable(segments, (v) => ({
      visible: v !== 3,
      opacity: v === 4 ? 0 : v === 1 ? 1 : 0.5,
    }));
    expect(table[0]).toBe(0);
    expect(table[1]).toBe(((255 << 24) | (0x30 << 16) | (0x20 << 8) | 0x10) >>> 0);
    expect(table[2]! >>> 24).toBe(128);
    expect(table[3]).toBe(0);
    expect(table[4]).toBe(0);
    expect(table[5]).not.toBe(0);
  });
});
