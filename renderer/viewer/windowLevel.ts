// Window/level: presets for MRI, auto from the volume's 1st/99th percentiles, and the conversions between
// (window width, level centre) and Cornerstone's VOI range [lower, upper].

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
