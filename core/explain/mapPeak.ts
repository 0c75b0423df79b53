// Where an explanation map points, reported honestly (issue #16): the peak is the SET of voxels tied at the
// maximum (a Grad-CAM map upsampled from a 2x2x2 grid has a flat 3,072-voxel maximum at 64^3), given by its
// size, its centroid and how many separate regions it forms, not by its first voxel alone; a map with no
// positive value (all zero, or all <= 0) has no peak and says "no positive evidence".

import type { Affine } from '../common/spaces.js';
import { voxelToWorld } from '../common/spaces.js';

/**
 * Relative tolerance of a tie: v is at the peak when v >= max - PEAK_TIE_TOLERANCE * |max|. 1e-6 is about
 * 8 float32 ulps: values equal up to float rounding tie, a real but small difference does not.
 */
export const PEAK_TIE_TOLERANCE = 1e-6;

/** The peak of a map that has positive evidence. Voxels are (i, j, k) of the map's grid; world is RAS mm. */
export interface MapPeak {
  /** The maximum value. */
  readonly value: number;
  /** Voxels within the tie tolerance of the maximum. */
  readonly voxelCount: number;
  /** 6-connected regions the tied voxels form (1 = one blob; more = the centroid may lie between them). */
  readonly regions: number;
  /** Mean (i, j, k) of the tied voxels (fractional). */
  readonly centroidVoxel: [number, number, number];
  /** The centroid in world mm through the map's affine. */
  readonly centroidWorldMm: [number, number, number];
  /** The first tied voxel in file order (i fastest); kept for older readers, not the peak's location. */
  readonly voxel: [number, number, number];
  /** `voxel` in world mm. */
  readonly worldMm: [number, number, number];
  /** The relative tie tolerance used (PEAK_TIE_TOLERANCE). */
  readonly tolerance: number;
}

/** What a map says about its maximum: a peak, or none and why. */
export interface PeakReport {
  /** null when the map has no positive value (or is constant, see mapPeak). */
  readonly peak: MapPeak | null;
  /**
   * 'positive evidence' (with a peak) or 'no positive evidence' (none), for people and JSON readers; Grad-CAM
   * adds 'uniform positive evidence' (no peak: the layer map is the same positive value everywhere, so its
   * min-max scaled map is all 0; see explainScan).
   */
  readonly evidence: 'positive evidence' | 'no positive evidence' | 'uniform positive evidence';
}

/**
 * The tied maxima of `data` (float, Fortran order: i fastest, shape [nx, ny, nz] as NIfTI stores it) with
 * `affine` (4x4 row-major voxel -> world RAS mm). `requirePositive` (default true: Grad-CAM and the occlusion
 * importance view, where > 0 is evidence for the class) reports no peak when max <= 0; with false (a
 * probability map) only a constant map has no peak. Non-finite values are ignored.
 */
export function mapPeak(
  data: ArrayLike<number>,
  shape: readonly [number, number, number],
  affine: Affine,
  requirePositive = true,
): PeakReport {
  let max = -Infinity;
  let min = Infinity;
  for (let v = 0; v < data.length; v++) {
    const x = data[v]!;
    if (!Number.isFinite(x)) continue;
    if (x > max) max = x;
    if (x < min) min = x;
  }
  const none: PeakReport = { peak: null, evidence: 'no positive evidence' };
  if (!(max > -Infinity) || (requirePositive ? !(max > 0) : !(max > min))) return none;
  const threshold = max - PEAK_TIE_TOLERANCE * Math.abs(max);
  const [nx, ny] = shape;
  const tied = new Uint8Array(data.length);
  const sum: [number, number, number] = [0, 0, 0];
  let count = 0;
  let first = -1;
  for (let v = 0; v < data.length; v++) {
    if (!(data[v]! >= threshold)) continue;
    tied[v] = 1;
    if (first < 0) first = v;
    count++;
    sum[0] += v % nx;
    sum[1] += Math.floor(v / nx) % ny;
    sum[2] += Math.floor(v / (nx * ny));
  }
  const voxel = ijkOf(first, nx, ny);
  const centroid = sum.map((s) => s / count) as [number, number, number];
  return {
    evidence: 'positive evidence',
    peak: {
      value: max,
      voxelCount: count,
      regions: countRegions(tied, shape),
      centroidVoxel: centroid,
      centroidWorldMm: world(affine, centroid),
      voxel,
      worldMm: world(affine, voxel),
      tolerance: PEAK_TIE_TOLERANCE,
    },
  };
}

function ijkOf(v: number, nx: number, ny: number): [number, number, number] {
  return [v % nx, Math.floor(v / nx) % ny, Math.floor(v / (nx * ny))];
}

function world(affine: Affine, ijk: [number, number, number]): [number, number, number] {
  return [...voxelToWorld(affine, ijk)] as [number, number, number];
}

/** 6-connected components of the voxels marked 1 in `mask` (Fortran order); clears the mask. */
function countRegions(mask: Uint8Array, shape: readonly [number, number, number]): number {
  const [nx, ny, nz] = shape;
  const stack: number[] = [];
  let regions = 0;
  for (let seed = 0; seed < mask.length; seed++) {
    if (mask[seed] !== 1) continue;
    regions++;
    mask[seed] = 0;
    stack.push(seed);
    while (stack.length > 0) {
      const v = stack.pop()!;
      const [i, j, k] = ijkOf(v, nx, ny);
      const next = [
        i > 0 ? v - 1 : -1,
        i < nx - 1 ? v + 1 : -1,
        j > 0 ? v - nx : -1,
        j < ny - 1 ? v + nx : -1,
        k > 0 ? v - nx * ny : -1,
        k < nz - 1 ? v + nx * ny : -1,
      ];
      for (const n of next)
        if (n >= 0 && mask[n] === 1) {
          mask[n] = 0;
          stack.push(n);
        }
    }
  }
  return regions;
}
