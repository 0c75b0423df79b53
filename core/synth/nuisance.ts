// Per-subject nuisance that keeps the class signal local (issue #16): a global gain, a per-tissue
// contrast change, the lesion's polarity, and bright non-informative spheres ("vessels") in every
// subject, one of which holds the image maximum, so min-max scaling and global histograms carry no class.

import type { SeededRandom } from '../common/random.js';
import { TISSUE } from './anatomy.js';
import type { Map3x4 } from './grid.js';
import { sphereRegion } from './lesion.js';
import type { ResolvedPhantomOptions } from './params.js';

/** A non-informative sphere, in template mm (RAS+, origin at the head centre), in both classes. */
export interface DistractorDraw {
  readonly centreMm: readonly [number, number, number];
  readonly radiusMm: number;
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
   * Spheres in every subject whatever its label, never within 6 mm of the lesion sphere: first the 'max'
   * one at max(1.45, 1 + lesionContrast) x U(1.35, 1.7) x WM, above scalp fat (1.45) and any bright lesion
   * even after a ±15% bias field and noise; then 2-5 'bright' ones at U(1.15, 1.6) x WM and 1-4 'dark' ones
   * at U(0.3, 0.6) x WM, radius U(0.6, 1.5) x min(lesionRadiusMm, 15), so the lesion's intensity band is populated in both classes
   * with a volume that varies more from subject to subject than the lesion's (the global histogram then
   * tells nothing about the class).
   */
  readonly distractors: readonly DistractorDraw[];
}

/** Radius of the 'max' sphere before the grid floor: U(5, 8) mm, like a venous sinus cross-section. */
const MAX_RADIUS_MM = [5, 8] as const;
/**
 * Radius of the lesion-like distractors as a multiple of the nominal lesion radius: as large as lesions,
 * so the resize to the network grid does not average them below a lesion's plateau.
 */
const LESION_LIKE_RADIUS = [0.6, 1.5] as const;
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
 * A centre uniform inside an ellipsoid of 0.7 x `head` semi-axes (brain, ventricles, deep grey), at least
 * `clearMm` from `avoid`. If 200 tries all fail (they practically never do), the mirror image of `avoid`
 * in the other hemisphere (at least 2 x 24 mm away) is used.
 */
function placeAway(
  rng: SeededRandom,
  head: readonly [number, number, number],
  avoid: readonly [number, number, number],
  clearMm: number,
): [number, number, number] {
  for (let t = 0; t < 200; t++) {
    const p = head.map((a) => 0.7 * a * rng.uniform(-1, 1)) as [number, number, number];
    const inside = p.reduce((s, x, a) => s + (x / (0.7 * head[a]!)) ** 2, 0) < 1;
    if (inside && Math.hypot(p[0] - avoid[0], p[1] - avoid[1], p[2] - avoid[2]) > clearMm) return p;
  }
  return [-avoid[0], avoid[1], avoid[2]];
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
  const sphere = (
    kind: DistractorDraw['kind'],
    radius: readonly [number, number],
    ratio: number,
  ): DistractorDraw => {
    const radiusMm = Math.max(floorMm, rng.uniform(radius[0], radius[1]));
    const centreMm = placeAway(
      rng,
      headSemiAxesMm,
      lesion.centreMm,
      lesion.radiusMm + radiusMm + LESION_GAP_MM,
    );
    return { centreMm, radiusMm, ratio, kind };
  };
  const maxRatio = Math.max(1.45, 1 + options.lesionContrast) * rng.uniform(1.35, 1.7);
  const distractors = [sphere('max', MAX_RADIUS_MM, maxRatio)];
  const bright = rng.int(2, 6);
  const dark = rng.int(1, 5);
  const scaleMm = Math.min(options.lesionRadiusMm, LESION_LIKE_SCALE_CAP_MM);
  const like = LESION_LIKE_RADIUS.map((f) => f * scaleMm) as [number, number];
  for (let b = 0; b < bright; b++) distractors.push(sphere('bright', like, rng.uniform(1.15, 1.6)));
  for (let b = 0; b < dark; b++) distractors.push(sphere('dark', like, rng.uniform(0.3, 0.6)));
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
    sphereRegion(shape, { ...maps, centreMm: s.centreMm, radiusMm: s.radiusMm }, region);
    const value = s.ratio * white;
    for (let idx = 0; idx < region.length; idx++) {
      if (region[idx] === 1) {
        tissues[idx] = TISSUE.vessel;
        clean[idx] = value;
      }
    }
  }
}
