// Reorders a volume's voxels to the closest RAS+ order, as nibabel's `as_closest_canonical` (funcs.py,
// nibabel 5.0): flips and transposes only, never resampling, so an oblique affine stays oblique.

import {
  applyOrnt3d,
  axcodesFromAffine,
  invOrntAffine,
  ioOrientation,
  type Ornt,
} from '../common/orientation.js';
import { multiplyAffine } from '../common/spaces.js';
import type { Volume } from './types.js';

function isIdentity(ornt: Ornt): boolean {
  return ornt.every(([axis, flip], n) => axis === n && flip === 1);
}

/**
 * `volume` with its voxel axes reordered and flipped so that i, j, k run (closest to) Left→Right,
 * Posterior→Anterior, Inferior→Superior. Returns `volume` itself when it already is in that order;
 * otherwise a new Volume with new data (Fortran order, i fastest), affine = affine @ inv_ornt_aff(ornt,
 * shape), axcodes recomputed, and header shape/pixdim permuted to match (as nibabel's new header).
 * Throws BAD_ARGUMENT when the affine is degenerate (no full orientation).
 */
export function asClosestCanonical(volume: Volume): Volume {
  const ornt = ioOrientation(volume.affine);
  if (isIdentity(ornt)) return volume;
  const { data, shape } = applyOrnt3d(volume.data, volume.shape, ornt);
  const affine = multiplyAffine(volume.affine, invOrntAffine(ornt, volume.shape));
  const pixdim: [number, number, number] = [0, 0, 0];
  ornt.forEach(([axis], n) => (pixdim[axis] = volume.header.pixdim[n]!));
  const header = { ...volume.header, shape: [...shape, ...volume.header.shape.slice(3)], pixdim };
  return { ...volume, data, shape, affine, axcodes: axcodesFromAffine(affine), header };
}
