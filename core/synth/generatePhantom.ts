// generatePhantom: one synthetic T1-like head with, for class 1, a planted lesion (see index.ts).

import type { Affine } from '../common/spaces.js';
import { applyBiasField, partialVolume, ricianToInt16 } from './acquisition.js';
import { T1_INTENSITY, rasterise } from './anatomy.js';
import {
  affineTo3x4,
  apply,
  gridAffine,
  templateToVoxel,
  voxelToTemplate,
  type Map3x4,
  type Pose,
} from './grid.js';
import { plantGradedLesion, plantLesion, sphereRegion } from './lesion.js';
import {
  applyGain,
  applyTissueScale,
  paintDistractors,
  subjectWhiteMatter,
  type DistractorDraw,
} from './nuisance.js';
import { resolvePhantomParams, type PhantomParams, type ResolvedPhantomOptions } from './params.js';
import { drawSubject, type Anatomy, type SubjectDraws } from './subject.js';

/** Where the lesion is planted (class 1) or would be planted (class 0). */
export interface PlantedRegion {
  /** True for class 1: the sphere is in the image and in `mask`. */
  readonly present: boolean;
  /** Sphere centre as a fractional voxel index (i, j, k) of this subject's grid. */
  readonly centreVoxel: readonly [number, number, number];
  /** Sphere centre in world mm, RAS+. */
  readonly centreWorldMm: readonly [number, number, number];
  /** Sphere centre in template mm (before the pose change), RAS+. */
  readonly centreTemplateMm: readonly [number, number, number];
  /** Radius in template mm; in world mm it is radiusMm * pose.scale. */
  readonly radiusMm: number;
  /** Number of voxels whose centre is inside the sphere (the size of `region`). */
  readonly voxelCount: number;
  /** 'bright' (above white matter) or 'dark' (between CSF and cortex); for class 0, the would-be polarity. */
  readonly polarity: 'bright' | 'dark';
  /** Lesion intensity / the subject's white matter, before blur, bias and noise (1.8 bright, 0.3 dark; legacy 1.3). */
  readonly contrastRatio: number;
}

/**
 * A non-informative structure in both classes (issue #16): the 'max' sphere holds the image maximum of
 * every subject, 'bright' and 'dark' tubes have lesion-like intensities (see nuisance.ts). Never within
 * 6 mm of the lesion.
 */
export interface Distractor {
  readonly kind: 'max' | 'bright' | 'dark';
  readonly centreVoxel: readonly [number, number, number];
  readonly centreWorldMm: readonly [number, number, number];
  readonly centreTemplateMm: readonly [number, number, number];
  /** Radius (across, for a tube) in template mm; in world mm it is radiusMm * pose.scale. */
  readonly radiusMm: number;
  /** Half-length along `axisTemplate` in template mm (= radiusMm for the sphere). */
  readonly halfLengthMm: number;
  /** The long axis, a unit vector in template space. */
  readonly axisTemplate: readonly [number, number, number];
  /** Intensity / nominal white matter (1000), before gain, blur, bias and noise. */
  readonly ratio: number;
}

/** One phantom. Every array is a [nx, ny, nz] grid in NIfTI/Fortran order: (i, j, k) at i + nx * (j + ny * k). */
export interface Phantom {
  /** T1-like intensities, arbitrary units with white matter ≈ 1000 (before bias), int16 ≥ 0, no scaling. */
  readonly image: Int16Array;
  /** 1 inside the planted lesion; all zeros for class 0. This is what masks/*_mask.nii.gz hold. */
  readonly mask: Uint8Array;
  /** 1 inside the sphere where the lesion is (class 1) or would be (class 0): the class-0 comparison region. */
  readonly region: Uint8Array;
  /** Tissue code per voxel (TISSUE in anatomy.ts), before blur and noise. */
  readonly tissues: Uint8Array;
  readonly shape: readonly [number, number, number];
  /** Voxel → world RAS mm, shared by the image, the mask and every subject of a cohort. */
  readonly affine: Affine;
  readonly label: 0 | 1;
  readonly seed: number;
  readonly pose: Pose;
  /** The subject's drawn anatomy (head size, layer thicknesses, ventricle size, folding waves). */
  readonly anatomy: Anatomy;
  readonly planted: PlantedRegion;
  /** The distractors (a sphere, tubes), the same in both classes; empty for legacyBrightLesion. */
  readonly distractors: readonly Distractor[];
  readonly options: ResolvedPhantomOptions;
}

/** Where the lesion and the distractors are, in voxels, world mm and template mm. */
function placements(
  draws: SubjectDraws,
  affine: Affine,
  toVoxel: Map3x4,
  lesion: Pick<PlantedRegion, 'present' | 'voxelCount' | 'polarity' | 'contrastRatio'>,
  spheres: readonly DistractorDraw[],
): { planted: PlantedRegion; distractors: Distractor[] } {
  const toWorld = affineTo3x4(affine);
  const place = (centreMm: readonly [number, number, number]) => {
    const centreVoxel = apply(toVoxel, centreMm);
    return { centreVoxel, centreWorldMm: apply(toWorld, centreVoxel), centreTemplateMm: centreMm };
  };
  const planted = { ...lesion, ...place(draws.lesionCentreMm), radiusMm: draws.lesionRadiusMm };
  const distractors = spheres.map((b) => ({
    kind: b.kind,
    ...place(b.centreMm),
    radiusMm: b.radiusMm,
    halfLengthMm: b.halfLengthMm,
    axisTemplate: b.axis,
    ratio: b.ratio,
  }));
  return { planted, distractors };
}

/**
 * Generates one subject, deterministically from `params.seed` and the options. The same seed with label 0
 * and label 1 gives the same head, pose, bias and noise: the two images differ only in and next to `region`
 * (the partial-volume blur spreads the edge by one voxel).
 * Throws VoxlabError BAD_ARGUMENT for a bad seed, label, shape or option.
 */
export function generatePhantom(params: PhantomParams): Phantom {
  const p = resolvePhantomParams(params);
  const { seed, label, ...options } = p;
  const shape = options.shape;
  const affine = gridAffine(shape, options.voxelSizeMm, options.orientation);
  const draws = drawSubject(seed, options);
  const toTemplate = voxelToTemplate(affine, draws.pose);
  const toVoxel = templateToVoxel(affine, draws.pose);
  const count = shape[0] * shape[1] * shape[2];

  const tissues = new Uint8Array(count);
  const clean = new Float32Array(count);
  rasterise(shape, toTemplate, draws.anatomy, tissues, clean);

  const legacy = options.legacyBrightLesion;
  const nuisance = draws.nuisance;
  if (!legacy) applyTissueScale(clean, tissues, nuisance.tissueScale);
  const region = new Uint8Array(count);
  const sphere = { centreMm: draws.lesionCentreMm, radiusMm: draws.lesionRadiusMm, toTemplate, toVoxel };
  const voxelCount = sphereRegion(shape, sphere, region);
  const polarity = legacy ? (options.lesionContrast < 0 ? 'dark' : 'bright') : nuisance.polarity;
  const contrastRatio =
    1 + (polarity === 'dark' && !legacy ? options.darkLesionContrast : options.lesionContrast);
  const white = legacy ? T1_INTENSITY[6] : subjectWhiteMatter(nuisance, T1_INTENSITY[6]);
  const mask = label === 1 ? region.slice() : new Uint8Array(count);
  if (label === 1 && legacy) plantLesion(region, white * contrastRatio, tissues, clean);
  if (label === 1 && !legacy) plantGradedLesion(shape, sphere, region, white * contrastRatio, tissues, clean);
  const spheres = legacy ? [] : nuisance.distractors;
  if (!legacy) paintDistractors(shape, spheres, { toTemplate, toVoxel }, T1_INTENSITY[6], tissues, clean);
  if (!legacy) applyGain(clean, nuisance.gain);

  partialVolume(clean, shape);
  applyBiasField(clean, shape, affineTo3x4(affine), draws.biasCoefficients);
  const image = ricianToInt16(clean, options.noiseSigma * T1_INTENSITY[6], draws.noiseSeed);

  const { planted, distractors } = placements(
    draws,
    affine,
    toVoxel,
    {
      present: label === 1,
      voxelCount,
      polarity,
      contrastRatio,
    },
    spheres,
  );
  const { pose, anatomy } = draws;
  return {
    image,
    mask,
    region,
    tissues,
    shape,
    affine,
    label,
    seed,
    pose,
    anatomy,
    planted,
    distractors,
    options,
  };
}
