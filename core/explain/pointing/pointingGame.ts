// The pointing game (Zhang et al., "Top-down neural attention by excitation backprop", ECCV 2016; issue #16):
// an explanation "hits" when its peak falls on the object that carries the class. Here the object is the
// synthetic lesion sphere of core/synth, and the peak is mapPeak's centroid of the tied maxima.

import { VoxlabError } from '../../common/errors.js';

/** A point in world RAS millimetres. */
export type WorldMm = readonly [number, number, number];

/** The planted lesion as cohort.json gives it: centre in world RAS mm, radius in world mm. */
export interface PointingTarget {
  readonly centreWorldMm: WorldMm;
  readonly radiusWorldMm: number;
}

/** One explained scan: hit or miss, and how far the peak was from the lesion centre (null: no peak). */
export interface PointingResult {
  readonly hit: boolean;
  /** Euclidean distance peak to lesion centre, mm; null when the map had no positive evidence. */
  readonly distanceMm: number | null;
}

/** The game over a set of scans. */
export interface PointingSummary {
  readonly n: number;
  readonly hits: number;
  /** hits / n; null when n is 0. */
  readonly hit_rate: number | null;
  /** Median of the distances of the scans that had a peak, mm; null when none had one. */
  readonly median_distance_mm: number | null;
  /** Scans whose map had no peak (no positive evidence): misses, left out of the median distance. */
  readonly no_peak: number;
}

function checkPoint(name: string, p: readonly number[]): void {
  if (!(Array.isArray(p) && p.length === 3 && p.every((v) => Number.isFinite(v))))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `isHit: ${name} must be 3 finite numbers (world mm), got ${JSON.stringify(p)}`,
    );
}

/**
 * Scores one peak: a hit when |peak - centre| <= radiusWorldMm + halfWindowMm (the boundary counts as a
 * hit). `halfWindowMm` is the tolerance for the map's own resolution (occlusion: half the occluding cube,
 * in mm). A null peak (the map has no positive evidence) is a miss with no distance. Throws BAD_ARGUMENT
 * for a non-finite point, a negative radius or a negative half window.
 */
export function isHit(
  peakWorldMm: WorldMm | null,
  lesion: PointingTarget,
  halfWindowMm: number,
): PointingResult {
  checkPoint('lesion.centreWorldMm', lesion.centreWorldMm);
  if (!(Number.isFinite(lesion.radiusWorldMm) && lesion.radiusWorldMm >= 0))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `isHit: lesion.radiusWorldMm must be a number >= 0, got ${lesion.radiusWorldMm}`,
    );
  if (!(Number.isFinite(halfWindowMm) && halfWindowMm >= 0))
    throw new VoxlabError('BAD_ARGUMENT', `isHit: halfWindowMm must be a number >= 0, got ${halfWindowMm}`);
  if (peakWorldMm === null) return { hit: false, distanceMm: null };
  checkPoint('peakWorldMm', peakWorldMm);
  const distanceMm = Math.hypot(
    peakWorldMm[0] - lesion.centreWorldMm[0],
    peakWorldMm[1] - lesion.centreWorldMm[1],
    peakWorldMm[2] - lesion.centreWorldMm[2],
  );
  return { hit: distanceMm <= lesion.radiusWorldMm + halfWindowMm, distanceMm };
}

/** Median of a non-empty list (mean of the two middle values for an even count). */
function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Counts hits over `results`; the median distance is over the scans that had a peak. */
export function summarise(results: readonly PointingResult[]): PointingSummary {
  const hits = results.filter((r) => r.hit).length;
  const distances = results.flatMap((r) => (r.distanceMm === null ? [] : [r.distanceMm]));
  return {
    n: results.length,
    hits,
    hit_rate: results.length === 0 ? null : hits / results.length,
    median_distance_mm: distances.length === 0 ? null : median(distances),
    no_peak: results.length - distances.length,
  };
}
