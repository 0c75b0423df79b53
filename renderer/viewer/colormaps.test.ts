// Colormaps and overlay maths: samples at the ends and between control points, Cornerstone's registration
// form, the threshold of a signed map, colorbar positions and ticks.

import { describe, expect, it } from 'vitest';
import { COLORMAPS, barPosition, colorbarTicks, sampleColormap, thresholdValue, toRegistration, type ColormapName } from './colormaps.js';

describe('colormaps', () => {
  it.each([
    ['jet', 0, [0, 0, 128]],
    ['jet', 1, [128, 0, 0]],
    ['hot', 1, [255, 255, 255]],
    ['grey', 0.5, [128, 128, 128]],
    ['viridis', 0, [68, 1, 84]],
    ['viridis', 1, [253, 231, 37]],
  ] as const)('%s at %f', (name, t, rgb) => {
    expect(sampleColormap(name, t)).toEqual(rgb);
  });

  it('clamps t and treats NaN as 0', () => {
    expect(sampleColormap('hot', 2)).toEqual(sampleColormap('hot', 1));
    expect(sampleColormap('hot', Number.NaN)).toEqual(sampleColormap('hot', 0));
  });

  it('every map has increasing control points from 0 to 1 and registers as flat RGB points', () => {
    for (const name of Object.keys(COLORMAPS) as ColormapName[]) {
      const pts = COLORMAPS[name].points;
      expect(pts[0]![0]).toBe(0);
      expect(pts.at(-1)![0]).toBe(1);
      for (let i = 1; i < pts.length; i++) expect(pts[i]![0]).toBeGreaterThan(pts[i - 1]![0]);
      const reg = toRegistration(name);
      expect(reg.Name).toBe(`voxlab-${name}`);
      expect(reg.RGBPoints).toHaveLength(pts.length * 4);
    }
  });
});

describe('overlay threshold and colorbar', () => {
  it('thresholds a signed map on its positive side, hiding zero', () => {
    expect(thresholdValue({ min: -1, max: 4, threshold: 0.25 })).toBe(1);
    expect(thresholdValue({ min: -1, max: 4, threshold: 0 })).toBeGreaterThan(0);
  });
  it('thresholds a map without positive values over its range', () => {
    expect(thresholdValue({ min: -4, max: 0, threshold: 0.5 })).toBe(-2);
  });
  it('places values on the bar and hides those under the threshold', () => {
    const r = { min: 0, max: 10, threshold: 0.2 };
    expect(barPosition(r, 1)).toBeNull();
    expect(barPosition(r, 5)).toBe(0.5);
    expect(barPosition(r, 12)).toBe(1);
  });
  it('ticks span the range', () => {
    expect(colorbarTicks(0, 0.0004)).toEqual([0, 0.0001, 0.0002, 0.0003, 0.0004]);
    expect(colorbarTicks(3, 3)).toEqual([3]);
  });
});
