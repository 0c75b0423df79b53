// Fill between slices (3D Slicer's "Fill between slices", ITK-SNAP's interpolation): the slices between
// two painted slices of one segment get the shape interpolated from their signed distance maps (shape-based
// interpolation, Raya & Udupa 1990: linear in the signed distance, inside where it is < 0).

import type { Patch } from './brush.js';
import { signedDistance } from './segDistance.js';

/** The two grid axes other than `axis`, in increasing order (u fastest in the slice's 2D layout). */
function inPlane(axis: 0 | 1 | 2): [number, number] {
  return [0, 1, 2].filter((a) => a !== axis) as [number, number];
}

/**
 * Fills, for segment `value`, every slice (along grid `axis`) lying between two slices that hold `value`,
 * with the linear interpolation of their signed distance maps. `data` is the labelmap on a grid of `dims`
 * [nx, ny, nz] (i fastest), `spacing` mm per step. Only voxels that are 0 are written: other segments and
 * the painted slices stay as they are. Changes `data` in place and returns the patch (empty when no two
 * painted slices have a gap between them). Throws on a bad value, axis or size.
 */
export function fillBetweenSlices(
  data: Uint8Array,
  dims: readonly [number, number, number],
  spacing: readonly [number, number, number],
  axis: 0 | 1 | 2,
  value: number,
): Patch {
  if (!Number.isInteger(value) || value < 1 || value > 255)
    throw new Error(`fillBetweenSlices: segment value ${value} is not 1..255`);
  if (![0, 1, 2].includes(axis)) throw new Error(`fillBetweenSlices: axis ${String(axis)} is not 0, 1 or 2`);
  if (data.length !== dims[0] * dims[1] * dims[2])
    throw new Error(`fillBetweenSlices: ${data.length} voxels for [${dims.join(', ')}]`);
  const [u, v] = inPlane(axis);
  const [nu, nv] = [dims[u]!, dims[v]!];
  const strides = [1, dims[0], dims[0] * dims[1]];
  const at = (k: number, n: number) =>
    (n % nu) * strides[u]! + Math.floor(n / nu) * strides[v]! + k * strides[axis]!;
  const sliceMask = (k: number): Uint8Array => {
    const mask = new Uint8Array(nu * nv);
    for (let n = 0; n < mask.length; n++) mask[n] = data[at(k, n)] === value ? 1 : 0;
    return mask;
  };
  const keys: number[] = [];
  for (let k = 0; k < dims[axis]!; k++) if (sliceMask(k).includes(1)) keys.push(k);
  const patch: Patch = { index: [], before: [], after: [] };
  for (let n = 1; n < keys.length; n++) {
    const [k0, k1] = [keys[n - 1]!, keys[n]!];
    if (k1 - k0 < 2) continue;
    const d0 = signedDistance(sliceMask(k0), nu, nv, spacing[u]!, spacing[v]!);
    const d1 = signedDistance(sliceMask(k1), nu, nv, spacing[u]!, spacing[v]!);
    for (let k = k0 + 1; k < k1; k++) {
      const t = (k - k0) / (k1 - k0);
      for (let p = 0; p < nu * nv; p++) {
        if ((1 - t) * d0[p]! + t * d1[p]! >= 0) continue;
        const index = at(k, p);
        if (data[index] !== 0) continue;
        patch.index.push(index);
        patch.before.push(0);
        patch.after.push(value);
        data[index] = value;
      }
    }
  }
  return patch;
}
