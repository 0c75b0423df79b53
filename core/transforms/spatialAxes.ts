// MONAI's map_spatial_axes: spatial axis numbers of a channel-first tensor to its real axes.

import { assert } from '../common/errors.js';

/**
 * Real axes (0 = channel) of the spatial axes `axes` of a channel-first tensor of rank `rank`:
 * a >= 0 is spatial axis a (real axis a + 1); a < 0 counts from the last axis (MONAI's map_spatial_axes);
 * null means every spatial axis. Throws BAD_ARGUMENT naming `fn` for a non-integer, out-of-range or
 * repeated axis.
 */
export function spatialAxes(fn: string, rank: number, axes: number | readonly number[] | null): number[] {
  const spatial = rank - 1;
  if (axes === null) return Array.from({ length: spatial }, (_, i) => i + 1);
  const list = typeof axes === 'number' ? [axes] : [...axes];
  const real = list.map((a) => {
    assert(
      Number.isInteger(a) && a >= -spatial && a < spatial,
      () =>
        `${fn}: spatial axis must be an integer in [${-spatial}, ${spatial - 1}] for ${spatial} spatial axes, got ${a}`,
    );
    return a < 0 ? rank + a : a + 1;
  });
  assert(new Set(real).size === real.length, () => `${fn}: spatial axes repeat: [${list.join(', ')}]`);
  return real;
}
