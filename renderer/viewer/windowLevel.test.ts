// Window/level presets from volume statistics and the width/centre <-> range conversions.

import { describe, expect, it } from 'vitest';
import { dragSpan, dragVoi, presetRange, toVoiRange, toWindowLevel, WL_PRESETS, type WlPreset } from './windowLevel.js';

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

describe('dragVoi (window/level drag sensitivity)', () => {
  const VIEW = { width: 400, height: 300 };
  it.each([
    ['a map in 0..1', { min: 0, max: 1, p01: 0.02, p99: 0.9 }],
    ['an IXI T1 in 0..4000', { min: 0, max: 3543, p01: 0, p99: 1709 }],
    ['a CT-like -1000..3000', { min: -1000, max: 3000, p01: -1000, p99: 1500 }],
  ] as const)('a drag across the whole view spans the p1-p99 range of %s', (_name, stats) => {
    const start = presetRange('auto', stats);
    const span = stats.p99 - stats.p01;
    const wider = toWindowLevel(dragVoi(start, VIEW.width, 0, VIEW, stats));
    expect(wider.width).toBeCloseTo(2 * span, 6);
    expect(wider.center).toBeCloseTo(toWindowLevel(start).center, 6);
    const lower = toWindowLevel(dragVoi(start, 0, -VIEW.height / 2, VIEW, stats));
    expect(lower.center).toBeCloseTo(toWindowLevel(start).center - span / 2, 6);
    expect(lower.width).toBeCloseTo(span, 6);
  });

  it('a 10 px drag is a small change, the same share of the range in any units', () => {
    const a = { min: 0, max: 1, p01: 0, p99: 1 };
    const b = { min: 0, max: 4000, p01: 0, p99: 4000 };
    const da = toWindowLevel(dragVoi(presetRange('auto', a), 10, 0, VIEW, a)).width - 1;
    const db = toWindowLevel(dragVoi(presetRange('auto', b), 10, 0, VIEW, b)).width - 4000;
    expect(da).toBeCloseTo(0.025, 9);
    expect(db / 4000).toBeCloseTo(da, 9);
  });

  it('never narrows the window to nothing, and refuses a view without size', () => {
    const stats = { min: 0, max: 100, p01: 0, p99: 100 };
    const r = dragVoi({ lower: 0, upper: 100 }, -10_000, 0, VIEW, stats);
    expect(r.upper - r.lower).toBeCloseTo(0.1, 9);
    expect(() => dragVoi({ lower: 0, upper: 1 }, 1, 1, { width: 0, height: 10 }, stats)).toThrow(/no size/);
  });

  it('uses min-max, then 1, when the percentiles coincide', () => {
    expect(dragSpan({ min: 0, max: 10, p01: 0, p99: 0 })).toBe(10);
    expect(dragSpan({ min: 3, max: 3, p01: 3, p99: 3 })).toBe(1);
  });
});
