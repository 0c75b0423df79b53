// Window/level presets from volume statistics and the width/centre <-> range conversions.

import { describe, expect, it } from 'vitest';
import { presetRange, toVoiRange, toWindowLevel, WL_PRESETS, type WlPreset } from './windowLevel.js';

const IXI = { min: 0, max: 3543, p01: 0, p99: 1709 };

describe('presetRange', () => {
  it.each([
    ['auto', { lower: 0, upper: 1709 }],
    ['full', { lower: 0, upper: 3543 }],
    ['contrast', { lower: 341.8, upper: 1367.2 }],
    ['bright', { lower: 0, upper: 854.5 }],
  ] as const)('%s on an IXI T1', (preset, expected) => {
    const r = presetRange(preset, IXI);
    expect(r.lower).toBeCloseTo(expected.lower, 6);
    expect(r.upper).toBeCloseTo(expected.upper, 6);
  });

  it('never returns an empty window, even for a constant volume', () => {
    for (const preset of Object.keys(WL_PRESETS) as WlPreset[]) {
      const r = presetRange(preset, { min: 5, max: 5, p01: 5, p99: 5 });
      expect(r.upper).toBeGreaterThan(r.lower);
    }
  });

  it('falls back to min/max when the percentiles coincide (mostly-zero map)', () => {
    expect(presetRange('auto', { min: 0, max: 10, p01: 0, p99: 0 })).toEqual({ lower: 0, upper: 10 });
  });
});

describe('window/level conversions', () => {
  it('round-trips', () => {
    expect(toWindowLevel(toVoiRange({ width: 400, center: 40 }))).toEqual({ width: 400, center: 40 });
    expect(toVoiRange({ width: 400, center: 40 })).toEqual({ lower: -160, upper: 240 });
  });
  it('keeps a positive width', () => {
    const r = toVoiRange({ width: 0, center: 3 });
    expect(r.upper).toBeGreaterThan(r.lower);
  });
});
