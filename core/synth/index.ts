// core/synth: deterministic brain-like phantoms with a planted, localised class signal, for the bundled
// demo study and for scoring explanations ("does the importance peak fall inside the planted region?").

/**
 * Anatomy model (template space: millimetres, RAS+, origin at the head centre; see anatomy.ts):
 * - head: an ellipsoid of about 70 x 90 x 76 mm semi-axes (±2.5% per subject); layers are measured
 *   inward along the ray from the centre: scalp (4-5.5 mm, bright fat), skull (5-6.5 mm; dark compact
 *   bone with brighter marrow in its middle third), CSF (1.5-2.5 mm), then brain;
 * - cortex: a grey-matter ribbon 2.5-3.5 mm thick; sulci follow the zero set of a band-limited field (four
 *   random plane waves of 20-32 mm wavelength), each a CSF wedge up to 12-18 mm deep lined by grey matter;
 *   an interhemispheric fissure at x = 0; grey and white matter carry a ±3-6% texture;
 * - deep: two lateral ventricles (bent ellipsoids diverging posteriorly, size x0.8-1.5 per subject, each
 *   side ±10%) and two deep grey nuclei; the rest is white matter.
 * T1-like intensities (int16, arbitrary units): white matter 1000, deep grey 760, cortex 620, CSF 170,
 * ventricles 150, skull 80, marrow 550, scalp fat 1450, air 0 (anatomy.ts T1_INTENSITY).
 *
 * No global class cue (issue #16; nuisance.ts): every subject, whatever its label, gets a gain
 * (x0.70-1.42), a ±8% change of each tissue's intensity, and distractors: one 'max' sphere at
 * 2.0-2.55 x WM (above scalp fat and any bright lesion: the image maximum, which MONAI's ScaleIntensity
 * scales by), 2-11 'bright' tubes at 0.8-1.1 x the bright lesion's intensity and 2-6 'dark' ones at
 * 0.7-1.3 x the dark lesion's, lesion-sized across and 2.6-11 times longer than wide, all at least 6 mm
 * from the lesion sphere. A classifier on global features of the preprocessed image is at chance
 * (shortcutFree.test.ts); only the lesion is a ball, so the class is a local shape. `legacyBrightLesion: true` gives the cohort before issue #16 (no nuisance), for
 * comparisons only: there the lesion can hold the image maximum.
 *
 * Acquisition (acquisition.ts): a [1, 2, 1] / 4 blur per axis (partial volume), a smooth multiplicative
 * bias field fixed to the scanner (about ±15%), Rician noise (σ = 3% of white matter), rounding to int16.
 *
 * Pose: world = translation + scale * R * template, with rotations up to ±4° about each axis,
 * translations up to ±4 mm and an isotropic scale of ±5% (grid.ts).
 *
 * Planted signal (class 1, "lesion"): a graded ball of radius 18 mm ±10% (15 before issue #16; after a
 * resize of the default grid to 64^3: 4.3-5.3 voxels along the 240 mm axes) centred in the right
 * hemisphere's deep white matter at template (28, -4, 24) mm ± 4 mm per axis: its intensity at the centre,
 * fading to the surrounding tissue at the rim (1 - (r/R)^2, lesion.ts). lesionPolarity 'bright' (default):
 * 1.8 x the subject's white matter at the centre (lesionContrast 0.8); 'dark': 0.3 x (between CSF and grey
 * matter; darkLesionContrast −0.7); 'mixed': each subject draws one of the two from its seed.
 * Class 0 ("control") has none; the sphere where it would be is drawn all the same (the draws do not
 * depend on the label), so a class-0 subject is the exact twin of the class-1 subject with the same seed,
 * and cohort.json gives its would-be centre with `present: false`. Each subject's `planted` (and
 * cohort.json's `subjects[].planted`) holds the centre in voxels (centreVoxel), world mm (centreWorldMm)
 * and template mm, the radius (radiusMm template, radiusWorldMm in cohort.json), polarity and
 * contrastRatio; `distractors` the same for every distractor sphere.
 * `mask` (and masks/*_mask.nii.gz) is 1 inside the planted sphere for class 1 and all 0 for class 0;
 * `region` (in memory only) is the sphere for both classes.
 *
 * Grid: default 120 x 120 x 90 voxels of 2 mm, like the IXI scans, in RAS voxel order (or 'PSR', IXI's
 * order), centred on the world origin. Every array is NIfTI/Fortran order, i fastest:
 * value(i, j, k) = data[i + nx * (j + ny * k)]. Affines map voxel (i, j, k) to world RAS+ mm.
 */

export { generatePhantom, type Distractor, type Phantom, type PlantedRegion } from './generatePhantom.js';
export {
  generateCohort,
  labelsCsv,
  cohortJson,
  type CohortManifest,
  type CohortProgress,
  type CohortSubjectRecord,
  type GenerateCohortOptions,
} from './generateCohort.js';
export {
  planCohort,
  CLASS_NAMES,
  MAX_COHORT_SIZE,
  type CohortOptions,
  type CohortPlan,
  type PlannedSubject,
} from './cohortPlan.js';
export {
  resolvePhantomOptions,
  requiredFovMm,
  MIN_SHAPE,
  MAX_SHAPE,
  PHANTOM_ORIENTATIONS,
  LESION_POLARITIES,
  type LesionPolarity,
  type PhantomOptions,
  type PhantomParams,
  type PhantomOrientation,
  type ResolvedPhantomOptions,
} from './params.js';
export { TISSUE, T1_INTENSITY, type TissueCode } from './anatomy.js';
export { gridAffine, type Pose } from './grid.js';
export { LESION_NOMINAL_CENTRE_MM, LESION_JITTER_MM } from './subject.js';
