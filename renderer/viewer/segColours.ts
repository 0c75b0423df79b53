// Segment colours: the default palette for values the study has not named, '#rrggbb' parsing, and the
// 256-entry lookup table the labelmap overlay draws with (each segment's colour, visibility and opacity).

import type { SegmentInfo } from '../../core/api/index.js';

/** Defaults for values 1..8 (then repeating): distinct and readable on grey MRI. */
const PALETTE = [
  '#e65050',
  '#50c878',
  '#5096f0',
  '#f0c846',
  '#c864dc',
  '#46d2d2',
  '#f08c3c',
  '#a0a0a0',
] as const;

/** The colour of value `value` (1..255) when the study has none for it. */
export function defaultColour(value: number): string {
  return PALETTE[(Math.max(1, value) - 1) % PALETTE.length]!;
}

/** [r, g, b] 0..255 of a '#rrggbb' colour; throws on anything else. */
export function hexToRgb(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (m === null) throw new Error(`hexToRgb: '${hex}' is not a #rrggbb colour`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

/** The colour of segment `value`: the study's, else the default. */
export function segmentColour(segments: readonly SegmentInfo[], value: number): string {
  return segments.find((s) => s.value === value)?.colour ?? defaultColour(value);
}

/**
 * Packed little-endian RGBA (r in the low byte, as ImageData's Uint32 view on x86/ARM) for each value
 * 0..255: 0 (background), hidden segments and opacity 0 stay transparent (0). `look(value)` gives the
 * presentation, opacity 0..1.
 */
export function overlayLookupTable(
  segments: readonly SegmentInfo[],
  look: (value: number) => { visible: boolean; opacity: number },
): Uint32Array {
  const table = new Uint32Array(256);
  for (let value = 1; value < 256; value++) {
    const { visible, opacity } = look(value);
    const alpha = Math.round(Math.min(1, Math.max(0, opacity)) * 255);
    if (!visible || alpha === 0) continue;
    const [r, g, b] = hexToRgb(segmentColour(segments, value));
    table[value] = ((alpha << 24) | (b << 16) | (g << 8) | r) >>> 0;
  }
  return table;
}
