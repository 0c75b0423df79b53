// Colormaps and overlay maths: samples at the ends and between control points, Cornerstone's registration
// form, the threshold of a signed map, colorbar positions and ticks, the diverging scale and when a map is
// drawn signed (issue #16).

import { describe, expect, it } from 'vitest';
import {
  COLORMAPS,
  DEFAULT_SIGN_WORDS,
  SEQUENTIAL_COLORMAPS,
  barPosition,
  colorbarScale,
  colorbarTicks,
  colormapMenu,
  drawnColormap,
  drawsSigned,
  formatTick,
  sampleColormap,
  sampleSigned,
  signWords,
  signedAlpha,
  signedBound,
  signedOpacity,
  thresholdValue,
  toRegistration,
  type ColormapName,
} from './colormaps.js';

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
  it.each([
    [-0.023, 0.151, [0, 0.05, 0.1, 0.15]],
    [0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    [-1.2, 3.7, [-1, 0, 1, 2, 3]],
    [0.1, 0.3, [0.1, 0.15, 0.2, 0.25, 0.3]],
    [12, 987, [200, 400, 600, 800]],
  ])('nice ticks on multiples of 1, 2, 2.5 or 5 inside [%f, %f]', (min, max, ticks) => {
    expect(colorbarTicks(min, max)).toEqual(ticks);
  });
  it.each([
    [0.15, 0.05, '0.15'],
    [0.1, 0.05, '0.10'],
    [-1, 1, '-1'],
    [0.00015, 0.00005, '1.5e-4'],
    [250000, 50000, '2.5e+5'],
    [-0, 0.1, '0'],
    [0.25, 0.25, '0.25'],
  ])('formats %f (step %f) as %s', (value, step, text) => {
    expect(formatTick(value, step)).toBe(text);
  });
  it('places labelled ticks on the bar by value', () => {
    const scale = colorbarScale(-0.05, 0.15);
    expect(scale.map((t) => t.label)).toEqual(['-0.05', '0', '0.05', '0.10', '0.15']);
    expect(scale[1]!.position).toBeCloseTo(0.25);
    expect(scale.at(-1)!.position).toBe(1);
    expect(colorbarScale(2, 2)).toEqual([{ value: 2, label: '2', position: 0.5 }]);
  });
});

describe('signed (diverging) colormap', () => {
  it.each([
    [0, 1, [255, 255, 255]],
    [1, 1, [180, 4, 38]],
    [-1, 1, [59, 76, 192]],
    [0.004, 0.004, [180, 4, 38]],
    [-0.002, 0.004, [157, 165, 224]],
    [5, 1, [180, 4, 38]],
  ] as const)('value %f over ±%f', (value, bound, rgb) => {
    expect(sampleSigned(value, bound)).toEqual(rgb);
  });

  it('is white at 0, red above, blue below, and symmetric in lightness', () => {
    for (const v of [0.1, 0.3, 0.5, 0.8, 1]) {
      const [r, g, b] = sampleSigned(v, 1);
      const [nr, ng, nb] = sampleSigned(-v, 1);
      expect(r).toBeGreaterThan(b);
      expect(nb).toBeGreaterThan(nr);
      // Moreland's ends have the same lightness: the two sides fade from white at the same pace.
      expect(Math.abs((r + g + b) / 3 - (nr + ng + nb) / 3)).toBeLessThan(45);
    }
  });

  it('fades monotonically from white to each end', () => {
    const greens = [0, 0.25, 0.5, 0.75, 1].map((v) => sampleSigned(v, 1)[1]);
    for (let i = 1; i < greens.length; i++) expect(greens[i]!).toBeLessThan(greens[i - 1]!);
    const reds = [0, -0.25, -0.5, -0.75, -1].map((v) => sampleSigned(v, 1)[0]);
    for (let i = 1; i < reds.length; i++) expect(reds[i]!).toBeLessThan(reds[i - 1]!);
  });

  it('is not offered among the sequential colormaps', () => {
    expect(SEQUENTIAL_COLORMAPS).toEqual(['jet', 'hot', 'viridis', 'grey']);
    expect(toRegistration('signed').Name).toBe('voxlab-signed');
  });

  it('is what the colormap menu names while a map is drawn signed, whatever sequential one is chosen', () => {
    expect(drawnColormap(true, 'jet')).toBe('signed');
    expect(colormapMenu(true)).toEqual(['signed']);
    expect(COLORMAPS[drawnColormap(true, 'jet')].label).toBe('Diverging (blue–white–red), signed');
    expect(drawnColormap(false, 'viridis')).toBe('viridis');
    expect(colormapMenu(false)).toEqual(SEQUENTIAL_COLORMAPS);
  });

  it.each([
    [-0.02, 0.05, 0.05],
    [-0.3, 0.1, 0.3],
    [0, 0, 1],
    [2, 2, 2],
  ])('bound of [%f, %f] is %f (symmetric about 0)', (min, max, bound) => {
    expect(signedBound(min, max)).toBe(bound);
  });
});

describe('signed overlay opacity', () => {
  it('is transparent near 0 and grows with |value|', () => {
    expect(signedAlpha(0, 0, 0.6)).toBe(0);
    expect(signedAlpha(0.1, 0.2, 0.6)).toBe(0);
    expect(signedAlpha(0.5, 0.2, 0.6)).toBeCloseTo(0.3);
    expect(signedAlpha(-0.5, 0.2, 0.6)).toBeCloseTo(0.3);
    expect(signedAlpha(1, 0.2, 0.6)).toBeCloseTo(0.6);
    expect(signedAlpha(-3, 0.2, 0.6)).toBeCloseTo(0.6);
    expect(signedAlpha(0.9, 0.2, 0.6)).toBeGreaterThan(signedAlpha(0.4, 0.2, 0.6));
  });

  it('the transfer function points are increasing, symmetric and agree with signedAlpha', () => {
    for (const threshold of [0, 0.2, 0.95]) {
      const pts = signedOpacity(threshold, 0.6);
      for (let i = 1; i < pts.length; i++) expect(pts[i]!.value).toBeGreaterThan(pts[i - 1]!.value);
      expect(pts.map((p) => -p.value).reverse()).toEqual(pts.map((p) => p.value));
      expect(pts.map((p) => p.opacity).reverse()).toEqual(pts.map((p) => p.opacity));
      for (const p of pts) expect(p.opacity).toBeCloseTo(signedAlpha(p.value, threshold, 0.6));
      expect(pts.at(-1)).toEqual({ value: 1, opacity: 0.6 });
    }
  });
});

describe('when a map is drawn signed', () => {
  it.each([
    ['occlusion with negatives, auto', -0.01, 0.05, 'auto', true],
    ['Grad-CAM (>= 0), auto', 0, 1, 'auto', false],
    ['all negative, auto', -0.2, -0.01, 'auto', true],
    ['occlusion with negatives, positive only', -0.01, 0.05, 'positive', false],
    ['Grad-CAM, signed chosen', 0, 1, 'signed', true],
  ] as const)('%s', (_, min, max, mode, signed) => {
    expect(drawsSigned({ min, max }, mode)).toBe(signed);
  });

  it.each([
    [{ sign: 'positive = lowers; negative = raises' }, 'positive = lowers; negative = raises'],
    [{ sign: '  ' }, DEFAULT_SIGN_WORDS],
    [{}, DEFAULT_SIGN_WORDS],
    [null, DEFAULT_SIGN_WORDS],
    [[1, 2], DEFAULT_SIGN_WORDS],
  ])('sign words of params %j', (params, words) => {
    expect(signWords(params)).toBe(words);
  });
});
