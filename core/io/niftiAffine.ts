// The voxel → world affine of a NIfTI header, chosen as nibabel's `Nifti1Header.get_best_affine` does
// (nibabel 5.0 nifti1.py): the sform when sform_code is set, else the qform (quaternion, qfac, pixdim),
// else the "base affine" built from pixdim alone (analyze.py get_base_affine / shape_zoom_affine).

import { VoxlabError } from '../common/errors.js';
import { det3, linearPart } from '../common/matrix3.js';
import { toAffine, type Affine } from '../common/spaces.js';
import type { RawNiftiHeader } from './niftiHeader.js';

/** xform codes nibabel knows (0 unknown ... 5 template); others are reset to 0 when nibabel checks a header. */
const VALID_XFORM_CODES = new Set([0, 1, 2, 3, 4, 5]);

/** The code as nibabel reports it after its header check: invalid codes become 0 (unknown). */
export function fixedXformCode(code: number): number {
  return VALID_XFORM_CODES.has(code) ? code : 0;
}

/** Which transform gave the affine. */
export type AffineSource = 'sform' | 'qform' | 'pixdim';

/**
 * 3x3 rotation from a unit quaternion (w, x, y, z): nibabel quaternions.quat2mat, identity for a
 * near-zero quaternion. Rows first.
 */
export function quatToMat([w, x, y, z]: readonly [number, number, number, number]): number[][] {
  const nq = w * w + x * x + y * y + z * z;
  if (nq < Number.EPSILON)
    return [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
  const s = 2 / nq;
  const [X, Y, Z] = [x * s, y * s, z * s];
  const [wX, wY, wZ] = [w * X, w * Y, w * Z];
  const [xX, xY, xZ] = [x * X, x * Y, x * Z];
  const [yY, yZ, zZ] = [y * Y, y * Z, z * Z];
  return [
    [1 - (yY + zZ), xY - wZ, xZ + wY],
    [xY + wZ, 1 - (xX + zZ), yZ - wX],
    [xZ - wY, yZ + wX, 1 - (xX + yY)],
  ];
}

/**
 * The qform affine (nibabel get_qform): R(quaternion) @ diag(dx, dy, qfac * dz) + qoffset. `w` is filled
 * as sqrt(1 - b² - c² - d²); a small negative w² within 3 eps of the stored precision counts as 0
 * (nibabel fillpositive, quaternion_threshold), a larger one is NIFTI_CORRUPT.
 */
function qformAffine(raw: RawNiftiHeader, vox: readonly number[], qfac: 1 | -1, name: string): number[] {
  const [b, c, d] = raw.quatern;
  const eps = raw.version === 1 ? 2 ** -23 : Number.EPSILON;
  const w2 = 1 - (b * b + c * c + d * d);
  if (w2 < -3 * eps) {
    throw new VoxlabError(
      'NIFTI_CORRUPT',
      `${name}: the qform quaternion (b, c, d) = (${b}, ${c}, ${d}) is longer than 1`,
      { name },
    );
  }
  const r = quatToMat([w2 < 0 ? 0 : Math.sqrt(w2), b, c, d]);
  const scale = [vox[0]!, vox[1]!, vox[2]! * qfac];
  const out: number[] = [];
  for (let row = 0; row < 3; row++)
    out.push(...[0, 1, 2].map((col) => r[row]![col]! * scale[col]!), raw.qoffset[row]!);
  return [...out, 0, 0, 0, 1];
}

/**
 * nibabel's fallback when no transform is coded (shape_zoom_affine with x flipped): diag(-dx, dy, dz)
 * with the world origin at the centre of the volume, ((n - 1) / 2 voxels along each axis).
 */
export function baseAffine(shape3: readonly number[], vox: readonly number[]): number[] {
  const zooms = [-vox[0]!, vox[1]!, vox[2]!];
  const out = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
  for (let r = 0; r < 3; r++) {
    out[r * 5] = zooms[r]!;
    out[r * 4 + 3] = (-(shape3[r]! - 1) / 2) * zooms[r]!;
  }
  return out;
}

/**
 * The affine nibabel's `img.affine` gives for this header (voxel indices → world mm, RAS+, row-major).
 * `vox` are the fixed voxel sizes (pixdim[1..3], zero → 1, negative → absolute), `shape3` the spatial
 * shape padded to 3 axes. Throws NIFTI_CORRUPT for a non-finite or degenerate (singular) affine.
 */
export function niftiAffine(
  raw: RawNiftiHeader,
  vox: readonly number[],
  shape3: readonly number[],
  name: string,
): { affine: Affine; source: AffineSource } {
  let flat: number[];
  let source: AffineSource;
  if (fixedXformCode(raw.sformCode) !== 0) {
    flat = [...raw.srow, 0, 0, 0, 1];
    source = 'sform';
  } else if (fixedXformCode(raw.qformCode) !== 0) {
    flat = qformAffine(raw, vox, raw.pixdim[0] === -1 ? -1 : 1, name);
    source = 'qform';
  } else {
    flat = baseAffine(shape3, vox);
    source = 'pixdim';
  }
  if (flat.some((v) => !Number.isFinite(v))) {
    throw new VoxlabError(
      'NIFTI_CORRUPT',
      `${name}: the ${source} affine in the header holds NaN or infinite numbers`,
      { name, affine: flat },
    );
  }
  if (det3(linearPart(flat)) === 0) {
    throw new VoxlabError(
      'NIFTI_CORRUPT',
      `${name}: the ${source} affine in the header is degenerate (it maps the volume onto a plane)`,
      { name, affine: flat },
    );
  }
  return { affine: toAffine(flat), source };
}

/**
 * Unit quaternion [w, x, y, z] with w ≥ 0 of a proper rotation matrix (rows first), by Shepperd's method
 * (J. Guidance & Control 1978): the inverse of quatToMat, equal to nibabel's eigenvector-based mat2quat
 * for orthogonal input.
 */
export function matToQuat(r: readonly (readonly number[])[]): [number, number, number, number] {
  const m = (i: number, j: number): number => r[i]![j]!;
  const trace = m(0, 0) + m(1, 1) + m(2, 2);
  let q: [number, number, number, number];
  if (trace > 0) {
    const s = 2 * Math.sqrt(trace + 1);
    q = [s / 4, (m(2, 1) - m(1, 2)) / s, (m(0, 2) - m(2, 0)) / s, (m(1, 0) - m(0, 1)) / s];
  } else if (m(0, 0) > m(1, 1) && m(0, 0) > m(2, 2)) {
    const s = 2 * Math.sqrt(1 + m(0, 0) - m(1, 1) - m(2, 2));
    q = [(m(2, 1) - m(1, 2)) / s, s / 4, (m(0, 1) + m(1, 0)) / s, (m(0, 2) + m(2, 0)) / s];
  } else if (m(1, 1) > m(2, 2)) {
    const s = 2 * Math.sqrt(1 + m(1, 1) - m(0, 0) - m(2, 2));
    q = [(m(0, 2) - m(2, 0)) / s, (m(0, 1) + m(1, 0)) / s, s / 4, (m(1, 2) + m(2, 1)) / s];
  } else {
    const s = 2 * Math.sqrt(1 + m(2, 2) - m(0, 0) - m(1, 1));
    q = [(m(1, 0) - m(0, 1)) / s, (m(0, 2) + m(2, 0)) / s, (m(1, 2) + m(2, 1)) / s, s / 4];
  }
  const norm = Math.hypot(...q) * (q[0] < 0 ? -1 : 1);
  return q.map((v) => v / norm) as [number, number, number, number];
}
