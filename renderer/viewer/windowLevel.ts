// Window/level: presets for MRI, auto from the volume's 1st/99th percentiles, and the conversions between
// (window width, level centre) and Cornerstone's VOI range [lower, upper], and the sensitivity of a W/L drag.

import { assert } from '../../core/common/errors.js';

/** A VOI range in the volume's value units. */
export interface VoiRange {
  readonly lower: number;
  readonly upper: number;
}

/** Window width and centre (level), as radiologists set them. */
export interface WindowLevel {
  readonly width: number;
  readonly center: number;
}

export function toVoiRange(wl: WindowLevel): VoiRange {
  const width = Math.max(wl.width, 1e-6);
  return { lower: wl.center - width / 2, upper: wl.center + width / 2 };
}

export function toWindowLevel(r: VoiRange): WindowLevel {
  return { width: r.upper - r.lower, center: (r.upper + r.lower) / 2 };
}

/**
 * Presets as fractions of the robust range [p01, p99] (MRI intensities have no absolute unit, unlike CT's
 * Hounsfield presets): 'auto' is exactly that range, 'contrast' its middle, 'bright' for dark tissue,
 * 'full' the whole [min, max].
 */
export const WL_PRESETS = {
  auto: { label: 'Auto (p1–p99)', key: 'a' },
  full: { label: 'Full range', key: 'f' },
  contrast: { label: 'High contrast', key: 'c' },
  bright: { label: 'Bright', key: 'b' },
} as const;
export type WlPreset = keyof typeof WL_PRESETS;

export interface RangeStats {
  readonly min: number;
  readonly max: number;
  readonly p01: number;
  readonly p99: number;
}

/** The VOI range of `preset` for a volume with `stats`; never empty (width at least 1e-6). */
export function presetRange(preset: WlPreset, stats: RangeStats): VoiRange {
  const lo = stats.p01;
  const hi = stats.p99 > stats.p01 ? stats.p99 : stats.max > stats.min ? stats.max : stats.min + 1;
  const span = hi - lo;
  switch (preset) {
    case 'auto':
      return { lower: lo, upper: hi };
    case 'full':
      return stats.max > stats.min ? { lower: stats.min, upper: stats.max } : { lower: lo, upper: hi };
    case 'contrast':
      return { lower: lo + 0.2 * span, upper: hi - 0.2 * span };
    case 'bright':
      return { lower: lo, upper: lo + 0.5 * span };
  }
}

/** The span a drag across a whole view changes: p1-p99, else min-max, else 1 (a constant volume). */
export function dragSpan(stats: RangeStats): number {
  if (stats.p99 > stats.p01) return stats.p99 - stats.p01;
  if (stats.max > stats.min) return stats.max - stats.min;
  return 1;
}

/**
 * The VOI range after a window/level drag of (dx, dy) CSS pixels that started at `start`, in a view of
 * `view` CSS pixels: a drag across the whole width widens the window by the robust range (p1-p99), one down
 * the whole height raises the level by it, whatever the units (0..1 or 0..4000), as Cornerstone's and OHIF's
 * tool do (right = wider, down = higher level, so darker). The width never drops below 1/1000 of that range.
 */
export function dragVoi(
  start: VoiRange,
  dx: number,
  dy: number,
  view: { readonly width: number; readonly height: number },
  stats: RangeStats,
): VoiRange {
  assert(view.width > 0 && view.height > 0, () => `dragVoi: the view has no size (${view.width}x${view.height} px)`);
  const span = dragSpan(stats);
  const wl = toWindowLevel(start);
  const width = Math.max(wl.width + (dx / view.width) * span, span / 1000);
  return toVoiRange({ width, center: wl.center + (dy / view.height) * span });
}
