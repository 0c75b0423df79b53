// The random draws that make one phantom subject: anatomy variation, pose, bias field, planted region.
// Drawn in a fixed order from the subject's seed, independent of its label, so that the same seed gives
// the same head with and without the planted lesion (the class-0 twin differs only inside the region).

import { SeededRandom } from '../common/random.js';
import type { Pose } from './grid.js';
import { drawNuisance, type NuisanceDraws } from './nuisance.js';
import type { ResolvedPhantomOptions } from './params.js';

/** Nominal head semi-axes (mm, template R, A, S); each varies by ±2.5% per subject. */
export const HEAD_SEMI_AXES_MM = [70, 90, 76] as const;
/**
 * Centre (template mm, RAS) of the region where the lesion is planted: right hemisphere, deep white
 * matter above the lateral ventricle (centrum semiovale). Each subject's centre is within ±LESION_JITTER_MM
 * of it on every axis, so a 15 mm sphere stays inside the right hemisphere's brain.
 */
export const LESION_NOMINAL_CENTRE_MM = [28, -4, 24] as const;
export const LESION_JITTER_MM = 4;

/** Per-subject anatomy, in template millimetres. Plane waves are packed [kx, ky, kz, phase] (rad/mm, rad). */
export interface Anatomy {
  readonly headSemiAxesMm: readonly [number, number, number];
  /** Thickness of scalp (skin and fat), skull (bone with marrow) and the CSF layer around the brain. */
  readonly scalpMm: number;
  readonly skullMm: number;
  readonly csfMm: number;
  /** Cortical grey-matter thickness and the deepest sulcus, measured from the brain surface. */
  readonly cortexMm: number;
  readonly sulcusDepthMm: number;
  /** Four plane waves whose mean gives the folding pattern (sulci where it is high). */
  readonly foldWaves: readonly number[];
  /** Two plane waves whose mean modulates tissue intensity (texture). */
  readonly textureWaves: readonly number[];
  /** Lateral ventricle size factors, [left, right]; 1 is a typical adult. */
  readonly ventricleScale: readonly [number, number];
}

/** Everything random about one subject. */
export interface SubjectDraws {
  readonly anatomy: Anatomy;
  readonly pose: Pose;
  /** Bias field log-coefficients for x, y, z, xy, xz, yz, x², y², z² with x, y, z in world decimetres. */
  readonly biasCoefficients: readonly number[];
  /** Centre of the planted (or, for class 0, would-be) sphere, template mm. */
  readonly lesionCentreMm: readonly [number, number, number];
  readonly lesionRadiusMm: number;
  /** Seed of the noise stream. */
  readonly noiseSeed: number;
  /** Gain, tissue contrast, lesion polarity and bright spheres (nuisance.ts); drawn last, unused when legacy. */
  readonly nuisance: NuisanceDraws;
}

/** `count` plane waves with random directions, wavelengths in [minMm, maxMm] and phases. */
function planeWaves(rng: SeededRandom, count: number, minMm: number, maxMm: number): number[] {
  const out: number[] = [];
  for (let w = 0; w < count; w++) {
    const d = [rng.normal(), rng.normal(), rng.normal()];
    const len = Math.hypot(d[0]!, d[1]!, d[2]!) || 1;
    const k = (2 * Math.PI) / rng.uniform(minMm, maxMm);
    out.push((k * d[0]!) / len, (k * d[1]!) / len, (k * d[2]!) / len, rng.uniform(0, 2 * Math.PI));
  }
  return out;
}

function drawAnatomy(rng: SeededRandom): Anatomy {
  const [a, b, c] = HEAD_SEMI_AXES_MM;
  const ventricle = rng.uniform(0.8, 1.5);
  return {
    headSemiAxesMm: [
      a * rng.uniform(0.975, 1.025),
      b * rng.uniform(0.975, 1.025),
      c * rng.uniform(0.975, 1.025),
    ],
    scalpMm: rng.uniform(4, 5.5),
    skullMm: rng.uniform(5, 6.5),
    csfMm: rng.uniform(1.5, 2.5),
    cortexMm: rng.uniform(2.5, 3.5),
    sulcusDepthMm: rng.uniform(12, 18),
    foldWaves: planeWaves(rng, 4, 20, 32),
    textureWaves: planeWaves(rng, 2, 10, 20),
    ventricleScale: [ventricle * rng.uniform(0.9, 1.1), ventricle * rng.uniform(0.9, 1.1)],
  };
}

function drawPose(rng: SeededRandom, o: ResolvedPhantomOptions): Pose {
  const angle = (): number => rng.uniform(-o.maxRotationDeg, o.maxRotationDeg);
  const shift = (): number => rng.uniform(-o.maxTranslationMm, o.maxTranslationMm);
  return {
    rotationDeg: [angle(), angle(), angle()],
    translationMm: [shift(), shift(), shift()],
    scale: 1 + rng.uniform(-o.maxScale, o.maxScale),
  };
}

/** Draws one subject from its seed; the order of draws is fixed (changing it changes every cohort). */
export function drawSubject(seed: number, options: ResolvedPhantomOptions): SubjectDraws {
  const rng = new SeededRandom(seed);
  const anatomy = drawAnatomy(rng);
  const pose = drawPose(rng, options);
  // Each coefficient in ±amplitude / 3: nine terms add up to about ±amplitude over the head.
  const biasCoefficients = Array.from({ length: 9 }, () => rng.uniform(-1, 1) * (options.biasAmplitude / 3));
  const jitter = (): number => rng.uniform(-LESION_JITTER_MM, LESION_JITTER_MM);
  const [cx, cy, cz] = LESION_NOMINAL_CENTRE_MM;
  const lesionCentreMm: [number, number, number] = [cx + jitter(), cy + jitter(), cz + jitter()];
  const lesionRadiusMm = options.lesionRadiusMm * rng.uniform(0.9, 1.1);
  const noiseSeed = rng.int(0, 2 ** 31);
  // Drawn after everything above, so the legacy cohort (legacyBrightLesion) keeps its exact images.
  const nuisance = drawNuisance(
    rng,
    options,
    { centreMm: lesionCentreMm, radiusMm: lesionRadiusMm },
    anatomy.headSemiAxesMm,
  );
  return { anatomy, pose, biasCoefficients, lesionCentreMm, lesionRadiusMm, noiseSeed, nuisance };
}
