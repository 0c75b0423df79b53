// Knobs of the synthetic brain phantom (core/synth): their types, defaults and precondition checks.
// Every length is in millimetres; shapes are [nx, ny, nz] in the file's voxel order (i fastest).

import { VoxlabError } from '../common/errors.js';

/** Voxel orders the phantom can be written in: plain RAS, or PSR like the IXI T1 scans in shared/data/ixi. */
export const PHANTOM_ORIENTATIONS = ['RAS', 'PSR'] as const;
export type PhantomOrientation = (typeof PHANTOM_ORIENTATIONS)[number];

/** Smallest grid edge accepted: below 16 voxels the head is a handful of voxels and nothing is learnable. */
export const MIN_SHAPE = 16;
/** Largest grid edge accepted (a 512^3 int16 image is 256 MiB). */
export const MAX_SHAPE = 512;

/**
 * Lesion contrast of a cohort: 'bright' (hyperintense, above white matter), 'dark' (hypointense, between
 * CSF and cortex) or 'mixed' (each subject draws one of the two with equal odds, from its seed).
 */
export const LESION_POLARITIES = ['bright', 'dark', 'mixed'] as const;
export type LesionPolarity = (typeof LESION_POLARITIES)[number];

/** Largest head semi-axes (mm, along R, A, S) after the per-subject shape change; see anatomy.ts. */
export const HEAD_MAX_SEMI_AXES_MM = { R: 72, A: 93, S: 78 } as const;

/** Options shared by one phantom and a whole cohort. */
export interface PhantomOptions {
  /** Grid [nx, ny, nz] in voxel order; default [120, 120, 90] like the 2 mm IXI scans. */
  readonly shape?: readonly [number, number, number];
  /** Isotropic voxel edge in mm; default max(2, the smallest edge in 1/16 mm steps whose grid holds the head: requiredFovMm). */
  readonly voxelSizeMm?: number;
  /** Where voxel axes i, j, k point; default 'RAS'. 'PSR' gives IXI's voxel order. */
  readonly orientation?: PhantomOrientation;
  /**
   * Radius of the planted sphere in mm before the ±10% per-subject change; default 18 (about 4.5 voxels of
   * a 64^3 network input over a 240 mm head; 15 before issue #16). A small DenseNet trained on 60
   * subjects did not learn 12 mm lesions at 1.3 x WM among the distractors (test accuracy 0.55-0.6), and
   * learned graded 18 mm ones at 1.5 x WM only in part (0.77; dark ones at 0.45 x WM: 0.43); hence also
   * the stronger contrasts below (scripts/bench/pointing.ts, issue #16's note).
   */
  readonly lesionRadiusMm?: number;
  /**
   * Bright lesion intensity as a fraction above the subject's white matter (0.8 → 1.8 x WM at the centre; default 0.8,
   * and 0.3 with legacyBrightLesion, the value before issue #16).
   * Used for 'bright' lesions (and for every lesion when legacyBrightLesion); a negative value still gives
   * a dark lesion there, as before issue #16.
   */
  readonly lesionContrast?: number;
  /** Dark lesion intensity as a change relative to white matter (default −0.7 → 0.3 x WM at the centre, between CSF and cortex). */
  readonly darkLesionContrast?: number;
  /** 'bright', 'dark' or 'mixed' (per subject, from its seed); default 'bright'. Ignored when legacyBrightLesion. */
  readonly lesionPolarity?: LesionPolarity;
  /**
   * true: the cohort before issue #16 (no bright distractor structures, no per-subject gain or tissue
   * contrast change), whose planted lesion can hold the image maximum, a global shortcut. With
   * lesionRadiusMm 15 (the old default) the images are byte-identical to the old generator's
   * (nuisance.test.ts). Only for tests that compare (shortcutFree.test.ts); default false.
   */
  readonly legacyBrightLesion?: boolean;
  /** Standard deviation of each Rician noise component, as a fraction of the white-matter intensity. */
  readonly noiseSigma?: number;
  /** Typical amplitude of the smooth multiplicative bias field (0.15 → about ±15%). */
  readonly biasAmplitude?: number;
  /** Largest rotation about each world axis, degrees. */
  readonly maxRotationDeg?: number;
  /** Largest translation along each world axis, mm. */
  readonly maxTranslationMm?: number;
  /** Largest isotropic scale change (0.05 → x0.95 to x1.05). */
  readonly maxScale?: number;
}

/** One subject: its own seed, its class (1 = planted lesion) and the shared options. */
export interface PhantomParams extends PhantomOptions {
  /** Any safe integer; the same seed and options give the same phantom, byte for byte. */
  readonly seed: number;
  /** 0 = control (nothing planted), 1 = lesion planted. */
  readonly label: 0 | 1;
}

/** PhantomOptions with every default filled in. */
export type ResolvedPhantomOptions = {
  readonly [K in keyof PhantomOptions]-?: NonNullable<PhantomOptions[K]>;
};

/** lesionContrast of the cohort before issue #16: legacyBrightLesion's default. */
const LEGACY_LESION_CONTRAST = 0.3;

const DEFAULTS = {
  shape: [120, 120, 90] as const,
  orientation: 'RAS' as const,
  lesionRadiusMm: 18,
  lesionContrast: 0.8,
  darkLesionContrast: -0.7,
  lesionPolarity: 'bright' as const,
  legacyBrightLesion: false,
  noiseSigma: 0.03,
  biasAmplitude: 0.15,
  maxRotationDeg: 4,
  maxTranslationMm: 4,
  maxScale: 0.05,
};

/** World axis letter each voxel axis points along (sign ignored), per orientation. */
export function worldAxes(
  orientation: PhantomOrientation,
): readonly ['R' | 'A' | 'S', 'R' | 'A' | 'S', 'R' | 'A' | 'S'] {
  return orientation === 'RAS' ? ['R', 'A', 'S'] : ['A', 'S', 'R'];
}

function fail(message: string, details?: Record<string, unknown>): never {
  throw new VoxlabError('BAD_ARGUMENT', message, details);
}

function checkNumber(name: string, value: number, lo: number, hi: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < lo || value > hi) {
    fail(`synth: ${name} must be a number in [${lo}, ${hi}], got ${String(value)}`, { [name]: value });
  }
  return value;
}

function checkPolarity(value: LesionPolarity): LesionPolarity {
  if (!LESION_POLARITIES.includes(value)) {
    fail(`synth: lesionPolarity must be one of ${LESION_POLARITIES.join(', ')}, got ${String(value)}`, {
      lesionPolarity: value,
    });
  }
  return value;
}

function checkFlag(name: string, value: boolean): boolean {
  if (typeof value !== 'boolean')
    fail(`synth: ${name} must be true or false, got ${String(value)}`, { [name]: value });
  return value;
}

function checkShape(shape: readonly number[]): readonly [number, number, number] {
  if (!Array.isArray(shape) || shape.length !== 3)
    fail(`synth: shape must be [nx, ny, nz], got ${JSON.stringify(shape)}`);
  for (const n of shape) {
    if (!Number.isInteger(n) || n < MIN_SHAPE || n > MAX_SHAPE) {
      fail(
        `synth: shape ${JSON.stringify(shape)} is not usable: every edge must be an integer in [${MIN_SHAPE}, ${MAX_SHAPE}]`,
        { shape },
      );
    }
  }
  return [shape[0]!, shape[1]!, shape[2]!];
}

/**
 * Field of view (mm along world R, A, S) a grid centred on the world origin needs to hold the whole head
 * after the largest pose change: each semi-axis, widened by what a rotation of up to sqrt(2) * maxRotation
 * can swing in from the longest axis, times (1 + maxScale), plus maxTranslation, doubled.
 */
export function requiredFovMm(pose: {
  readonly maxRotationDeg: number;
  readonly maxTranslationMm: number;
  readonly maxScale: number;
}): { R: number; A: number; S: number } {
  const swing = HEAD_MAX_SEMI_AXES_MM.A * Math.sin((Math.SQRT2 * pose.maxRotationDeg * Math.PI) / 180);
  const extent = (semi: number): number =>
    2 * (Math.hypot(semi, swing) * (1 + pose.maxScale) + pose.maxTranslationMm);
  return {
    R: extent(HEAD_MAX_SEMI_AXES_MM.R),
    A: extent(HEAD_MAX_SEMI_AXES_MM.A),
    S: extent(HEAD_MAX_SEMI_AXES_MM.S),
  };
}

/** The smallest isotropic voxel edge (mm) at which `shape` in `orientation` covers `fov`. */
export function fittingVoxelSize(
  shape: readonly [number, number, number],
  orientation: PhantomOrientation,
  fov: { R: number; A: number; S: number },
): number {
  const axes = worldAxes(orientation);
  return Math.max(...axes.map((w, a) => fov[w] / shape[a]!));
}

/** Fills defaults and checks every option; throws VoxlabError BAD_ARGUMENT naming the bad value. */
export function resolvePhantomOptions(options: PhantomOptions = {}): ResolvedPhantomOptions {
  if (typeof options !== 'object' || options === null) fail('synth: options must be an object');
  const orientation = options.orientation ?? DEFAULTS.orientation;
  if (!PHANTOM_ORIENTATIONS.includes(orientation)) {
    fail(`synth: orientation must be one of ${PHANTOM_ORIENTATIONS.join(', ')}, got ${String(orientation)}`);
  }
  const pose = {
    maxRotationDeg: checkNumber('maxRotationDeg', options.maxRotationDeg ?? DEFAULTS.maxRotationDeg, 0, 15),
    maxTranslationMm: checkNumber(
      'maxTranslationMm',
      options.maxTranslationMm ?? DEFAULTS.maxTranslationMm,
      0,
      20,
    ),
    maxScale: checkNumber('maxScale', options.maxScale ?? DEFAULTS.maxScale, 0, 0.2),
  };
  const shape = checkShape(options.shape ?? DEFAULTS.shape);
  const fov = requiredFovMm(pose);
  const fit = fittingVoxelSize(shape, orientation, fov);
  // The default is rounded up to 1/16 mm so the affine is exact in float32, as the NIfTI header stores it.
  const voxelSizeMm = checkNumber(
    'voxelSizeMm',
    options.voxelSizeMm ?? Math.max(2, Math.ceil(fit * 16) / 16),
    0.1,
    20,
  );
  if (voxelSizeMm < fit - 1e-9) {
    const need = `${fov.R.toFixed(0)} x ${fov.A.toFixed(0)} x ${fov.S.toFixed(0)} mm (R, A, S)`;
    fail(
      `synth: shape ${JSON.stringify(shape)} at ${voxelSizeMm} mm voxels is too small to hold the head (${need}): ` +
        `use voxels of at least ${fit.toFixed(3)} mm or a larger shape`,
      { shape, voxelSizeMm },
    );
  }
  return {
    shape,
    voxelSizeMm,
    orientation,
    lesionRadiusMm: checkNumber('lesionRadiusMm', options.lesionRadiusMm ?? DEFAULTS.lesionRadiusMm, 4, 25),
    lesionContrast: checkNumber(
      'lesionContrast',
      options.lesionContrast ??
        (options.legacyBrightLesion === true ? LEGACY_LESION_CONTRAST : DEFAULTS.lesionContrast),
      -0.9,
      2,
    ),
    darkLesionContrast: checkNumber(
      'darkLesionContrast',
      options.darkLesionContrast ?? DEFAULTS.darkLesionContrast,
      -0.9,
      -0.05,
    ),
    lesionPolarity: checkPolarity(options.lesionPolarity ?? DEFAULTS.lesionPolarity),
    legacyBrightLesion: checkFlag(
      'legacyBrightLesion',
      options.legacyBrightLesion ?? DEFAULTS.legacyBrightLesion,
    ),
    noiseSigma: checkNumber('noiseSigma', options.noiseSigma ?? DEFAULTS.noiseSigma, 0, 0.5),
    biasAmplitude: checkNumber('biasAmplitude', options.biasAmplitude ?? DEFAULTS.biasAmplitude, 0, 0.5),
    ...pose,
  };
}

/** Checks one subject's seed and label on top of resolvePhantomOptions. */
export function resolvePhantomParams(
  params: PhantomParams,
): ResolvedPhantomOptions & { seed: number; label: 0 | 1 } {
  if (typeof params !== 'object' || params === null) fail('generatePhantom: params must be an object');
  if (!Number.isSafeInteger(params.seed))
    fail(`generatePhantom: seed must be a safe integer, got ${String(params.seed)}`);
  if (params.label !== 0 && params.label !== 1)
    fail(`generatePhantom: label must be 0 or 1, got ${String(params.label)}`);
  return { ...resolvePhantomOptions(params), seed: params.seed, label: params.label };
}
