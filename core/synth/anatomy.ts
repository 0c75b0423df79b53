// The analytic head model: which tissue lies at a template point, and a T1-like intensity for it.
// Template space: millimetres, RAS+, origin at the head centre (see grid.ts). Rasterised voxel by voxel
// in NIfTI/Fortran order (i fastest), with no allocation inside the loops.

import type { Map3x4 } from './grid.js';
import type { Anatomy } from './subject.js';

/** Tissue codes of the label map generatePhantom returns. */
export const TISSUE = {
  background: 0,
  scalp: 1,
  skull: 2,
  marrow: 3,
  csf: 4,
  grey: 5,
  white: 6,
  ventricle: 7,
  deepGrey: 8,
  lesion: 9,
  /** Bright non-informative sphere (nuisance.ts), in every subject of the default cohort. */
  vessel: 10,
} as const;
export type TissueCode = (typeof TISSUE)[keyof typeof TISSUE];

/**
 * T1-weighted intensities (arbitrary units, white matter = 1000), indexed by tissue code. Fat in the
 * scalp is brighter than white matter, compact bone and CSF are dark, as in an MPRAGE. The lesion's
 * value is set from lesionContrast at plant time (index 9 is a placeholder), the bright spheres' from
 * nuisance.ts's brightFactor (index 10 is a placeholder).
 */
export const T1_INTENSITY = [0, 1450, 80, 550, 170, 620, 1000, 150, 760, 1300, 2200] as const;
/** Relative amplitude of the smooth texture per tissue code (grey matter is the most heterogeneous). */
const TEXTURE_AMPLITUDE = [0, 0.08, 0, 0.1, 0, 0.06, 0.03, 0, 0.04, 0, 0] as const;

/** Half-width of the interhemispheric fissure (mm) and how deep it cuts from the brain surface. */
const FISSURE_HALF_WIDTH_MM = 1.2;
const FISSURE_DEPTH_MM = 28;
/**
 * Where |fold| (mean of four unit plane waves, standard deviation ≈ 0.35) is below this, a sulcus opens,
 * sulcusDepthMm deep at fold = 0; about a quarter of the surface lies in a sulcus.
 */
const SULCUS_HALF_WIDTH = 0.12;

/** Mean of `count` plane waves sin(k · p + phase), packed [kx, ky, kz, phase] in `w`. */
function waves(w: readonly number[], count: number, x: number, y: number, z: number): number {
  let s = 0;
  for (let q = 0; q < count; q++) {
    const o = q * 4;
    s += Math.sin(w[o]! * x + w[o + 1]! * y + w[o + 2]! * z + w[o + 3]!);
  }
  return s / count;
}

/** True inside one lateral ventricle (side +1 = right, −1 = left): a bent ellipsoid diverging posteriorly. */
function inVentricle(x: number, y: number, z: number, side: number, scale: number): boolean {
  const v = y + 2; // along A, from the ventricle's centre
  const u = x - side * (9 - 0.12 * v); // the posterior horns lie more laterally
  const w = z - 8 + 0.012 * v * v; // the ends bend down (C shape)
  const au = 6 * scale;
  const av = 26 + 6 * scale;
  const aw = 10 * scale;
  return (u * u) / (au * au) + (v * v) / (av * av) + (w * w) / (aw * aw) < 1;
}

/** True inside the deep grey nuclei (a thalamus / basal-ganglia-like ellipsoid per hemisphere). */
function inDeepGrey(x: number, y: number, z: number): boolean {
  const u = Math.abs(x) - 16;
  const v = y + 4;
  const w = z + 2;
  return (u * u) / 64 + (v * v) / 256 + (w * w) / 100 < 1;
}

/** Tissue inside the brain, `db` mm below its surface. */
function brainTissue(x: number, y: number, z: number, db: number, a: Anatomy): TissueCode {
  const ax = Math.abs(x);
  // The fissure splits the hemispheres from above and, in front and behind, from below (not the brainstem).
  const fissureHere = z > -15 || Math.abs(y) > 40;
  if (fissureHere && db < FISSURE_DEPTH_MM + a.cortexMm && ax < FISSURE_HALF_WIDTH_MM + a.cortexMm) {
    return db < FISSURE_DEPTH_MM && ax < FISSURE_HALF_WIDTH_MM ? TISSUE.csf : TISSUE.grey;
  }
  if (db < a.sulcusDepthMm + a.cortexMm) {
    // Sulci follow the zero set of the fold field (a labyrinth of lines, like sulcal fundi seen from
    // outside); each is a CSF wedge lined by a wider wedge of grey matter.
    const f = Math.abs(waves(a.foldWaves, 4, x, y, z));
    if (db < a.sulcusDepthMm * (1 - f / SULCUS_HALF_WIDTH)) return TISSUE.csf;
    if (db < a.sulcusDepthMm * (1 - f / (3 * SULCUS_HALF_WIDTH)) + a.cortexMm) return TISSUE.grey;
  }
  if (inVentricle(x, y, z, 1, a.ventricleScale[1]) || inVentricle(x, y, z, -1, a.ventricleScale[0])) {
    return TISSUE.ventricle;
  }
  return inDeepGrey(x, y, z) ? TISSUE.deepGrey : TISSUE.white;
}

/**
 * Tissue at template point (x, y, z) mm. Layers are measured along the ray from the head centre:
 * depth = |p| (1/r − 1) where r is p's ellipsoidal radius, exact on the axes and close elsewhere.
 */
export function tissueAt(x: number, y: number, z: number, a: Anatomy): TissueCode {
  const [ha, hb, hc] = a.headSemiAxesMm;
  const r2 = (x * x) / (ha * ha) + (y * y) / (hb * hb) + (z * z) / (hc * hc);
  if (r2 >= 1) return TISSUE.background;
  const r = Math.sqrt(r2);
  const depth = r > 1e-6 ? Math.sqrt(x * x + y * y + z * z) * (1 / r - 1) : 1e6;
  if (depth < a.scalpMm) return TISSUE.scalp;
  const inBone = depth - a.scalpMm;
  if (inBone < a.skullMm) {
    // Outer and inner tables of compact bone, marrow (diploë) in the middle third.
    return inBone > a.skullMm / 3 && inBone < (2 * a.skullMm) / 3 ? TISSUE.marrow : TISSUE.skull;
  }
  const db = inBone - a.skullMm - a.csfMm;
  return db < 0 ? TISSUE.csf : brainTissue(x, y, z, db, a);
}

/**
 * Fills `tissues` (codes) and `clean` (noise-free T1 intensity) for a grid of `shape` [nx, ny, nz],
 * NIfTI/Fortran order: voxel (i, j, k) at i + nx * (j + ny * k). `toTemplate` maps voxel → template mm.
 */
export function rasterise(
  shape: readonly [number, number, number],
  toTemplate: Map3x4,
  a: Anatomy,
  tissues: Uint8Array,
  clean: Float32Array,
): void {
  const [nx, ny, nz] = shape;
  const m = toTemplate;
  let idx = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      const bx = m[1]! * j + m[2]! * k + m[3]!;
      const by = m[5]! * j + m[6]! * k + m[7]!;
      const bz = m[9]! * j + m[10]! * k + m[11]!;
      for (let i = 0; i < nx; i++, idx++) {
        const x = bx + m[0]! * i;
        const y = by + m[4]! * i;
        const z = bz + m[8]! * i;
        const t = tissueAt(x, y, z, a);
        tissues[idx] = t;
        const amp = TEXTURE_AMPLITUDE[t];
        clean[idx] =
          amp === 0 ? T1_INTENSITY[t] : T1_INTENSITY[t] * (1 + amp * waves(a.textureWaves, 2, x, y, z));
      }
    }
  }
}
