// Heatmap colormaps (jet, hot, viridis, grey, and the diverging blue-white-red for signed maps) as RGB control
// points on [0, 1], registered with Cornerstone under our own names so the colorbar and the rendered overlay
// use the same definition; plus the maths of the overlay: which values are shown (threshold), where a value
// falls on the bar, tick labels, and when a map is drawn signed (issue #16).

/** Control points: [t, r, g, b] with t and channels in [0, 1], t increasing from 0 to 1. */
export type ColorPoints = readonly (readonly [number, number, number, number])[];

/** Viridis at 9 stops (matplotlib's _viridis_data sampled every 32nd entry, and the last). */
const VIRIDIS: ColorPoints = [
  [0, 0.267, 0.005, 0.329],
  [0.125, 0.283, 0.141, 0.458],
  [0.25, 0.254, 0.265, 0.53],
  [0.375, 0.207, 0.372, 0.553],
  [0.5, 0.164, 0.471, 0.558],
  [0.625, 0.128, 0.567, 0.551],
  [0.75, 0.135, 0.659, 0.518],
  [0.875, 0.478, 0.821, 0.318],
  [1, 0.993, 0.906, 0.144],
];

/**
 * The diverging map's ends and centre: Moreland's cool-warm (K. Moreland, "Diverging Color Maps for Scientific
 * Visualization", ISVC 2009, section 6: blue sRGB (59, 76, 192), red (180, 4, 38), both of the same
 * lightness, which keeps the map readable with the common colour-vision deficiencies), with a white centre so
 * that 0 reads as "no effect".
 */
const COOL = [59 / 255, 76 / 255, 192 / 255] as const;
const WARM = [180 / 255, 4 / 255, 38 / 255] as const;
const CENTRE = [1, 1, 1] as const;

/**
 * Diverging control points: COOL at 0, CENTRE at 0.5, WARM at 1, with `perSide` stops on each side placed
 * linearly in sRGB (t in [0, 1], 0.5 = the value 0 of a signed map).
 */
export function divergingPoints(perSide = 4): ColorPoints {
  const side = (from: readonly number[], to: readonly number[], t0: number) =>
    Array.from({ length: perSide }, (_, i) => {
      const f = i / perSide;
      const rgb = from.map((c, k) => Number((c + f * (to[k]! - c)).toFixed(4)));
      return [Number((t0 + f / 2).toFixed(4)), rgb[0]!, rgb[1]!, rgb[2]!] as const;
    });
  return [...side(COOL, CENTRE, 0), ...side(CENTRE, WARM, 0.5), [1, WARM[0], WARM[1], WARM[2]]];
}

export const COLORMAPS = {
  jet: {
    label: 'Jet',
    points: [
      [0, 0, 0, 0.5],
      [0.11, 0, 0, 1],
      [0.125, 0, 0, 1],
      [0.34, 0, 0.86, 1],
      [0.35, 0, 0.9, 0.97],
      [0.375, 0.05, 1, 0.92],
      [0.64, 0.95, 1, 0.05],
      [0.66, 1, 0.9, 0],
      [0.89, 1, 0, 0],
      [1, 0.5, 0, 0],
    ],
  },
  hot: {
    label: 'Hot',
    points: [
      [0, 0.0416, 0, 0],
      [0.365, 1, 0, 0],
      [0.746, 1, 1, 0],
      [1, 1, 1, 1],
    ],
  },
  viridis: { label: 'Viridis', points: VIRIDIS },
  grey: {
    label: 'Grey',
    points: [
      [0, 0, 0, 0],
      [1, 1, 1, 1],
    ],
  },
  /** For signed maps only: blue = negative, white = 0, red = positive (see divergingPoints). */
  signed: { label: 'Diverging (blue–white–red), signed', points: divergingPoints() },
} as const satisfies Record<string, { label: string; points: ColorPoints }>;
export type ColormapName = keyof typeof COLORMAPS;

/** The diverging colormap the overlay uses for signed maps. */
export const SIGNED_COLORMAP = 'signed' as const satisfies ColormapName;

/** The colormaps people pick for "positive only" (sequential, low to high): all but the diverging one. */
export const SEQUENTIAL_COLORMAPS = (Object.keys(COLORMAPS) as ColormapName[]).filter((c) => c !== SIGNED_COLORMAP);

/** The colormap on screen: the diverging one while the map is drawn signed, else the chosen sequential one. */
export function drawnColormap(signed: boolean, chosen: ColormapName): ColormapName {
  return signed ? SIGNED_COLORMAP : chosen;
}

/**
 * The colormap menu's entries: the sequential colormaps, and the diverging one only while it is drawn, so the
 * (then disabled) menu names what is on screen instead of the sequential choice kept for "positive only".
 */
export function colormapMenu(signed: boolean): ColormapName[] {
  return signed ? [SIGNED_COLORMAP] : SEQUENTIAL_COLORMAPS;
}

/** The name we register a colormap under in Cornerstone (kept apart from vtk.js presets). */
export const csColormapName = (name: ColormapName): string => `voxlab-${name}`;

/** RGB (0-255) of `name` at t in [0, 1] (clamped), linear between control points. */
export function sampleColormap(name: ColormapName, t: number): [number, number, number] {
  const pts = COLORMAPS[name].points as ColorPoints;
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  let k = 1;
  while (k < pts.length - 1 && pts[k]![0] < x) k++;
  const a = pts[k - 1]!;
  const b = pts[k]!;
  const f = b[0] === a[0] ? 0 : (x - a[0]) / (b[0] - a[0]);
  return [1, 2, 3].map((c) => Math.round(255 * (a[c]! + f * (b[c]! - a[c]!)))) as [number, number, number];
}

/** Cornerstone's registration form: flattened [x, r, g, b, ...] over the value range [lower, upper]. */
export function toRegistration(name: ColormapName): { Name: string; ColorSpace: 'RGB'; RGBPoints: number[] } {
  const pts = COLORMAPS[name].points as ColorPoints;
  return { Name: csColormapName(name), ColorSpace: 'RGB', RGBPoints: pts.flatMap((p) => [...p]) };
}

/** The displayed part of a heatmap: values below the threshold are transparent. */
export interface OverlayRange {
  readonly min: number;
  readonly max: number;
  /**
   * Fraction in [0, 1) of the map's largest value under which voxels are hidden. Maps are signed (occlusion:
   * positive = the region mattered, about zero = it did not), so zero and negative values are always hidden
   * when the map has positive values; a map without positive values is thresholded over its whole range.
   */
  readonly threshold: number;
}

/** Smallest fraction used: keeps exact zeros (no effect, outside the explained box) transparent. */
const MIN_FRACTION = 0.001;

/** The value at which the overlay starts to show. */
export function thresholdValue(r: OverlayRange): number {
  const f = Math.min(Math.max(r.threshold, MIN_FRACTION), 0.999);
  return r.max > 0 ? f * r.max : r.min + f * (r.max - r.min);
}

/** Where `value` sits on the colorbar (0 bottom, 1 top), or null when it is hidden by the threshold. */
export function barPosition(r: OverlayRange, value: number): number | null {
  if (value < thresholdValue(r)) return null;
  const span = r.max - r.min;
  return span > 0 ? Math.min(1, Math.max(0, (value - r.min) / span)) : 1;
}

/** A colorbar tick: its value in the map's units, the label to print, where it sits (0 bottom, 1 top). */
export interface ColorbarTick {
  readonly value: number;
  readonly label: string;
  readonly position: number;
}

/** The "nice" step (1, 2, 2.5 or 5 times a power of ten) that splits `span` into at most `count` parts. */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const factor = [1, 2, 2.5, 5, 10].find((f) => f * power >= raw) ?? 10;
  return factor * power;
}

/**
 * Tick values on multiples of a nice step inside [min, max] (at most about `count` + 1 of them, at least the
 * two ends when fewer than two multiples fall inside); [min] for a flat map. Values are rounded to the step's
 * precision, so 0.1 + 0.2 prints as 0.3.
 */
export function colorbarTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min) || !Number.isFinite(max - min)) return [min];
  const step = niceStep(max - min, count);
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  const ticks: number[] = [];
  for (let k = Math.ceil(min / step - 1e-9); k * step <= max + step * 1e-9; k++) ticks.push(Number((k * step).toFixed(Math.min(20, digits))));
  return ticks.length >= 2 ? ticks : [min, max];
}

/**
 * A tick label people read at a glance: fixed decimals as fine as the tick spacing needs, or scientific
 * notation (1.5e-4) when the spacing is below 0.001 or the values reach 100000. -0 prints as 0.
 */
export function formatTick(value: number, step: number): string {
  if (value === 0) return '0';
  const size = Math.max(Math.abs(value), Math.abs(step));
  if (Math.abs(step) < 1e-3 || size >= 1e5) return Number(value.toPrecision(3)).toExponential();
  const decimals = [0, 1, 2, 3, 4, 5].find((d) => Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-6);
  return decimals === undefined ? String(Number(value.toPrecision(3))) : value.toFixed(decimals);
}

/** The ticks of a colorbar over [min, max] with labels and positions. */
export function colorbarScale(min: number, max: number, count = 5): ColorbarTick[] {
  const values = colorbarTicks(min, max, count);
  const step = values.length >= 2 ? values[1]! - values[0]! : Math.abs(min) || 1;
  return values.map((value) => ({
    value,
    label: formatTick(value, step),
    position: max > min ? Math.min(1, Math.max(0, (value - min) / (max - min))) : 0.5,
  }));
}

/**
 * How a map is drawn: 'signed' (diverging colormap centred on 0, negatives shown in blue) or 'positive'
 * (the chosen sequential colormap over the map's range, negatives hidden); 'auto' picks signed for maps with
 * negative values (occlusion) and positive for the others (Grad-CAM, which is >= 0).
 */
export type SignMode = 'auto' | 'signed' | 'positive';

/** Whether a map with range [min, max] is drawn signed under `mode` (the user's choice wins over 'auto'). */
export function drawsSigned(map: { readonly min: number; readonly max: number }, mode: SignMode): boolean {
  return mode === 'auto' ? map.min < 0 : mode === 'signed';
}

/** The symmetric range of a signed map: ±max(|min|, |max|), so 0 sits in the middle (1 for an all-zero map). */
export function signedBound(min: number, max: number): number {
  return Math.max(Math.abs(min), Math.abs(max)) || 1;
}

/** RGB (0-255) of `value` on the signed colormap over [-bound, bound]: 0 = white, +bound = red, -bound = blue. */
export function sampleSigned(value: number, bound: number): [number, number, number] {
  return sampleColormap(SIGNED_COLORMAP, 0.5 + value / (2 * bound));
}

/** An opacity control point of the transfer function: a value (map units over the bound) and its opacity. */
export interface OpacityPoint {
  readonly value: number;
  readonly opacity: number;
}

/**
 * The opacity of a signed overlay on values normalised to [-1, 1]: transparent where |v| is under the
 * threshold fraction (at least MIN_FRACTION, so exact zeros never tint the scan), then `opacity` * |v|, so
 * the scan stays visible where the effect is small and strong effects are the most opaque.
 */
export function signedOpacity(threshold: number, opacity: number): OpacityPoint[] {
  const f = Math.min(Math.max(threshold, MIN_FRACTION), 0.999);
  const gap = Math.min(f / 2, 0.001); // a steep but not vertical step: vtk.js needs increasing x
  const half = [
    { value: f - gap, opacity: 0 },
    { value: f, opacity: opacity * f },
    { value: 1, opacity },
  ];
  return [...half.map((p) => ({ value: -p.value, opacity: p.opacity })).reverse(), ...half];
}

/** The opacity of a signed overlay at normalised value `v` (signedOpacity without its step): 0 under the threshold, else opacity * |v|. */
export function signedAlpha(v: number, threshold: number, opacity: number): number {
  const f = Math.min(Math.max(threshold, MIN_FRACTION), 0.999);
  const size = Math.min(1, Math.abs(Number.isFinite(v) ? v : 0));
  return size < f ? 0 : opacity * size;
}

/** Default words for the sign of an occlusion importance map (core/explain/occluders.ts records its own). */
export const DEFAULT_SIGN_WORDS = 'red: hiding this region lowers p(class); blue: raises it';

/** How to read a map's sign: the words recorded in its params (`sign`), else DEFAULT_SIGN_WORDS. */
export function signWords(params: unknown): string {
  const sign = params !== null && typeof params === 'object' ? (params as { sign?: unknown }).sign : undefined;
  return typeof sign === 'string' && sign.trim() !== '' ? sign : DEFAULT_SIGN_WORDS;
}
