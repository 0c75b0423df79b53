// Per-subject nuisance that keeps the class signal local (issue #16): a global gain, a per-tissue
// contrast change, the lesion's polarity, and non-informative structures ("vessels") in every subject: a
// bright sphere that holds the image maximum, so min-max scaling carries no class, and tubes with the
// lesion's intensities, so the global histogram carries none either. Only the lesion is a round blob: the
// class is told by a local shape, as a radiologist tells a lesion from a vessel, not by a global statistic.

import type { SeededRandom } from '../common/random.js';
import { TISSUE } from './anatomy.js';
import type { Map3x4 } from './grid.js';
import { spheroidRegion } from './lesion.js';
import type { ResolvedPhantomOptions } from './params.js';

/**
 * A non-informative structure, in template mm (RAS+, origin at the head centre), in both classes: a
 * spheroid `radiusMm` across and `halfLengthMm` along the unit vector `axis` (a sphere for 'max', a tube
 * for the lesion-like ones).
 */
export interface DistractorDraw {
  readonly centreMm: readonly [number, number, number];
  readonly radiusMm: number;
  readonly halfLengthMm: number;
  readonly axis: readonly [number, number, number];
  /** Its intensity as a multiple of nominal white matter (1000), before gain, bias and noise. */
  readonly ratio: number;
  /**
   * 'max': the bright vessel-like sphere meant to hold the image maximum (a 'bright' one can, rarely,
   * where the bias field favours it: either way a distractor, never the lesion); 'bright'/'dark': lesion-like.
   */
  readonly kind: 'max' | 'bright' | 'dark';
}

/** Everything random about a subject beyond anatomy, pose, bias and lesion place (subject.ts). */
export interface NuisanceDraws {
  /** Multiplies the whole clean image (scanner gain), exp(U(−0.35, 0.35)): about x0.70 to x1.42. */
  readonly gain: number;
  /** Factor per tissue code (index = TISSUE code), each U(0.92, 1.08): scanner-to-scanner T1 contrast. */
  readonly tissueScale: readonly number[];
  /** The lesion's (or, for class 0, the would-be lesion's) polarity. */
  readonly polarity: 'bright' | 'dark';
  /**
   * Structures in every subject whatever its label, never within 6 mm of the lesion sphere: first the 'max'
   * sphere at max(1.45, 1 + lesionContrast) x U(1.35, 1.7) x WM, above scalp fat (1.45) and any bright
   * lesion even after a ±15% bias field and noise; then 2-11 'bright' tubes at U(0.8, 1.1) x the bright
   * lesion's intensity and 2-6 'dark' ones at U(0.7, 1.3) x the dark lesion's, U(0.4, 0.7) x R across and
   * U(1.8, 4.5) x R long (half-length), with R = min(lesionRadiusMm, 15), in random directions: the
   * lesion's intensity band is populated in both classes with a volume that varies more from subject to
   * subject than the lesion's (the global histogram then tells nothing about the class), in shapes at
   * least 2.6 times longer than wide.
   */
  readonly distractors: readonly DistractorDraw[];
}

/** Radius of the 'max' sphere before the grid floor: U(5, 8) mm, like a venous sinus cross-section. */
const MAX_RADIUS_MM = [5, 8] as const;
/**
 * Cross-section radius and half-length of the tubes as multiples of the nominal lesion radius: thick
 * enough that the resize to the network grid does not average them far below a lesion's plateau, long
 * enough that no tube looks like a ball (aspect ratio ≥ 1.8 / 0.7 ≈ 2.6).
 */
const TUBE_RADIUS = [0.4, 0.7] as const;
const TUBE_HALF_LENGTH = [1.8, 4.5] as const;
/** Cap (mm) on the radius their range scales with, so a cohort of huge lesions is not filled with spheres. */
const LESION_LIKE_SCALE_CAP_MM = 15;
/**
 * Smallest radius in voxels: 1.6 voxels keeps at least one voxel at full intensity after the
 * [1, 2, 1] / 4 partial-volume blur (its 3x3x3 neighbourhood lies inside the sphere).
 */
const MIN_RADIUS_VOXELS = 1.6;
/** Clear gap (mm) between a distractor and the lesion sphere, so the two never touch after the blur. */
const LESION_GAP_MM = 6;

/**
 * Distance (mm) from `point` to the segment of half-length `halfLengthMm` along the unit vector `axis`
 * through `centre`: a spheroid `r` across lies inside the capsule of radius r around that segment, so a
 * distance over R + r + gap keeps it `gap` clear of a sphere of radius R at `point`.
 */
export function segmentDistance(
  point: readonly [number, number, number],
  centre: readonly [number, number, number],
  axis: readonly [number, number, number],
  halfLengthMm: number,
): number {
  const d = [0, 1, 2].map((a) => point[a]! - centre[a]!);
  const t = Math.max(
    -halfLengthMm,
    Math.min(halfLengthMm, d[0]! * axis[0] + d[1]! * axis[1] + d[2]! * axis[2]),
  );
  return Math.hypot(d[0]! - t * axis[0], d[1]! - t * axis[1], d[2]! - t * axis[2]);
}

/**
 * A centre uniform inside an ellipsoid of 0.7 x `head` semi-axes (brain, ventricles, deep grey) for a
 * spheroid along `axis` whose axis segment stays at least `clearMm` from `avoid`. If 200 tries all fail,
 * the mirror image of `avoid` in the other hemisphere (at least 2 x 24 mm away), with the axis turned
 * across the line between the two (so its segment stays as far away as that image).
 */
function placeAway(
  rng: SeededRandom,
  head: readonly [number, number, number],
  avoid: readonly [number, number, number],
  clearMm: number,
  axis: readonly [number, number, number],
  halfLengthMm: number,
): { centreMm: [number, number, number]; axis: readonly [number, number, number] } {
  for (let t = 0; t < 200; t++) {
    const p = head.map((a) => 0.7 * a * rng.uniform(-1, 1)) as [number, number, number];
    const inside = p.reduce((s, x, a) => s + (x / (0.7 * head[a]!)) ** 2, 0) < 1;
    if (inside && segmentDistance(avoid, p, axis, halfLengthMm) > clearMm) return { centreMm: p, axis };
  }
  // The mirror lies along x from `avoid`: an axis in the y-z plane is across that line.
  const yz = Math.hypot(axis[1], axis[2]);
  const across = yz > 1e-6 ? ([0, axis[1] / yz, axis[2] / yz] as const) : ([0, 1, 0] as const);
  return { centreMm: [-avoid[0], avoid[1], avoid[2]], axis: across };
}

/** A direction uniform on the unit sphere (a normalised Gaussian vector). */
function unitVector(rng: SeededRandom): [number, number, number] {
  const v = [rng.normal(), rng.normal(), rng.normal()];
  const len = Math.hypot(v[0]!, v[1]!, v[2]!) || 1;
  return [v[0]! / len, v[1]! / len, v[2]! / len];
}

/**
 * Draws the nuisance of one subject from `rng` (the subject stream, after subject.ts's draws), in a fixed
 * order and independent of the label.
 */
export function drawNuisance(
  rng: SeededRandom,
  options: ResolvedPhantomOptions,
  lesion: { readonly centreMm: readonly [number, number, number]; readonly radiusMm: number },
  headSemiAxesMm: readonly [number, number, number],
): NuisanceDraws {
  const gain = Math.exp(rng.uniform(-0.35, 0.35));
  const tissueScale = Array.from({ length: 11 }, () => rng.uniform(0.92, 1.08));
  const flip = rng.next() < 0.5;
  const polarity = options.lesionPolarity === 'mixed' ? (flip ? 'dark' : 'bright') : options.lesionPolarity;
  const floorMm = MIN_RADIUS_VOXELS * options.voxelSizeMm;
  const spheroid = (
    kind: DistractorDraw['kind'],
    radius: readonly [number, number],
    halfLength: readonly [number, number] | null,
    ratio: number,
  ): DistractorDraw => {
    const radiusMm = Math.max(floorMm, rng.uniform(radius[0], radius[1]));
    const halfLengthMm = halfLength === null ? radiusMm : rng.uniform(halfLength[0], halfLength[1]);
    const drawn = halfLength === null ? ([1, 0, 0] as const) : unitVector(rng);
    const { centreMm, axis } = placeAway(
      rng,
      headSemiAxesMm,
      lesion.centreMm,
      lesion.radiusMm + radiusMm + LESION_GAP_MM,
      drawn,
      halfLength === null ? 0 : halfLengthMm,
    );
    return { centreMm, radiusMm, halfLengthMm, axis, ratio, kind };
  };
  const maxRatio = Math.max(1.45, 1 + options.lesionContrast) * rng.uniform(1.35, 1.7);
  const distractors = [spheroid('max', MAX_RADIUS_MM, null, maxRatio)];
  const bright = rng.int(2, 12);
  const dark = rng.int(2, 7);
  const scaleMm = Math.min(options.lesionRadiusMm, LESION_LIKE_SCALE_CAP_MM);
  const across = TUBE_RADIUS.map((f) => f * scaleMm) as [number, number];
  const along = TUBE_HALF_LENGTH.map((f) => f * scaleMm) as [number, number];
  // Around the lesion's own intensity, so the lesion's histogram band holds tube voxels of a volume that
  // varies from subject to subject by more than a lesion's.
  const brightLesion = 1 + options.lesionContrast;
  const darkLesion = 1 + options.darkLesionContrast;
  for (let b = 0; b < bright; b++)
    distractors.push(spheroid('bright', across, along, brightLesion * rng.uniform(0.8, 1.1)));
  for (let b = 0; b < dark; b++)
    distractors.push(spheroid('dark', across, along, darkLesion * rng.uniform(0.7, 1.3)));
  return { gain, tissueScale, polarity, distractors };
}

/** Multiplies `clean` in place by the tissue factor of each voxel's code (codes in `tissues`). */
export function applyTissueScale(
  clean: Float32Array,
  tissues: Uint8Array,
  tissueScale: readonly number[],
): void {
  for (let idx = 0; idx < clean.length; idx++) clean[idx] = clean[idx]! * tissueScale[tissues[idx]!]!;
}

/** Multiplies `clean` in place by `gain`. */
export function applyGain(clean: Float32Array, gain: number): void {
  for (let idx = 0; idx < clean.length; idx++) clean[idx] = clean[idx]! * gain;
}

/** The subject's white-matter intensity before gain and bias: the reference of lesion contrasts. */
export function subjectWhiteMatter(n: NuisanceDraws, nominalWhite: number): number {
  return nominalWhite * n.tissueScale[TISSUE.white]!;
}

/**
 * Paints each distractor sphere into `clean` (its ratio x `white`) and `tissues` (TISSUE.vessel), the
 * 'max' ones last so that they keep the image maximum where spheres overlap, on a [nx, ny, nz] grid in NIfTI/Fortran order;
 * `toTemplate`/`toVoxel` are the subject's grid maps.
 */
export function paintDistractors(
  shape: readonly [number, number, number],
  spheres: readonly DistractorDraw[],
  maps: { readonly toTemplate: Map3x4; readonly toVoxel: Map3x4 },
  white: number,
  tissues: Uint8Array,
  clean: Float32Array,
): void {
  const region = new Uint8Array(clean.length);
  const ordered = [...spheres.filter((s) => s.kind !== 'max'), ...spheres.filter((s) => s.kind === 'max')];
  for (const s of ordered) {
    region.fill(0);
    spheroidRegion(
      shape,
      { ...maps, centreMm: s.centreMm, radiusMm: s.radiusMm, halfLengthMm: s.halfLengthMm, axis: s.axis },
      region,
    );
    const value = s.ratio * white;
    for (let idx = 0; idx < region.length; idx++) {
      if (region[idx] === 1) {
        tissues[idx] = TISSUE.vessel;
        clean[idx] = value;
      }
    }
  }
}
