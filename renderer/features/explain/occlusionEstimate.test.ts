// Occlusion cost estimate: MONAI's window counts (core/explain/occlusionParams' documented examples).

import { describe, expect, it } from 'vitest';
import { occlusionPasses, toInputIndex, windowsAlong } from './occlusionEstimate.js';

describe('occlusion cost', () => {
  it.each([
    // 96^3 with MONAI 1.3.2's overlap 0.25: mask 12 on one slice = 121 windows; mask 16 whole = 512.
    [96, 12, 0.25, true, 122],
    [96, 16, 0.25, false, 513],
    [96, 16, 0.6, false, 3376],
    [32, 8, 0.25, true, 26],
    [16, 32, 0.25, false, 2],
  ] as const)('input %i, mask %i, overlap %f, one slice %s: %i passes', (size, mask, overlap, oneSlice, passes) => {
    expect(occlusionPasses(size, mask, overlap, oneSlice)).toBe(passes);
  });

  it('refuses impossible settings', () => {
    expect(occlusionPasses(96, 0, 0.25, true)).toBeNull();
    expect(occlusionPasses(96, 8, 1, true)).toBeNull();
    expect(occlusionPasses(96, 2.5, 0.2, true)).toBeNull();
  });

  it('counts windows with the last one moved back to the border', () => {
    expect(windowsAlong(10, 4, 0)).toBe(3);
    expect(windowsAlong(4, 4, 0.5)).toBe(1);
  });

  it('maps a file index to the model input grid', () => {
    expect(toInputIndex(0, 120, 32)).toBe(0);
    expect(toInputIndex(59, 120, 32)).toBe(15);
    expect(toInputIndex(119, 120, 32)).toBe(31);
  });
});
