// MONAI's Resize (monai.transforms.Resize, 1.3.2): scale the spatial axes of a channel-first tensor to a
// given size with torch.nn.functional.interpolate semantics, done as separable 1-D passes.

import { assert, VoxlabError } from '../common/errors.js';
import { axisTable, type AxisMode, type AxisTable } from './axisTable.js';
import { resampleSeparable } from './resampleSeparable.js';
import { checkTensor, type Tensor } from './tensor.js';

/** Interpolation modes (torch names). 'linear', 'bilinear' and 'trilinear' are the same separable rule. */
export type ResizeMode = 'nearest' | 'nearest-exact' | 'linear' | 'bilinear' | 'trilinear' | 'area';

export interface ResizeOptions {
  /**
   * Interpolation. MONAI's default: 'area' (torch adaptive average pooling), which is also what the IXI
   * tutorial's Resize((96, 96, 96)) runs, since it names no mode.
   */
  readonly mode?: ResizeMode;
  /**
   * torch's align_corners, for the linear modes only (MONAI default None = torch's False). False maps
   * output voxel centres to src = (dst + 0.5) * in / out - 0.5 (clamped at 0); True maps corners to corners.
   */
  readonly alignCorners?: boolean;
  /**
   * 'all' (MONAI's default): `spatialSize` gives every spatial size; -1 keeps that axis's size.
   * 'longest': `spatialSize` is one number for the longest axis; the others keep the aspect ratio
   * (size = round-half-even(s * spatialSize / max(s)), as Python's round).
   */
  readonly sizeMode?: 'all' | 'longest';
}

/**
 * Resizes a channel-first tensor [C, ...spatial] (C order, one or more spatial axes) to
 * [C, ...spatialSize]. Matches MONAI 1.3.2 Resize(spatial_size, size_mode, mode, align_corners) with
 * its default anti_aliasing=False (no Gaussian pre-filter; the option is not offered here). When the
 * size does not change the values are copied unchanged, as MONAI does.
 *
 * Differences from MONAI, on purpose: a size of 0 (MONAI: keep the axis) is rejected as a likely bug;
 * -1 keeps the axis as in MONAI.
 * Throws BAD_ARGUMENT for a malformed tensor, a size that is not a positive integer (or -1), a size list
 * whose length is not the spatial rank, or alignCorners with a non-linear mode (torch raises too).
 */
export function resize(
  t: Tensor,
  spatialSize: number | readonly number[],
  options: ResizeOptions = {},
): Tensor {
  checkTensor('resize', t, 2);
  const mode = options.mode ?? 'area';
  const axisMode = toAxisMode(mode);
  const alignCorners = options.alignCorners ?? false;
  assert(
    !alignCorners || axisMode === 'linear',
    `resize: alignCorners can only be set with a linear mode (linear, bilinear, trilinear), got mode '${mode}'`,
  );
  const inSpatial = t.shape.slice(1);
  const outSpatial = resolveSize(inSpatial, spatialSize, options.sizeMode ?? 'all');
  const tables: (AxisTable | null)[] = [null];
  for (let d = 0; d < inSpatial.length; d++) {
    const n = inSpatial[d]!;
    const m = outSpatial[d]!;
    tables.push(n === m ? null : axisTable(n, m, axisMode, alignCorners));
  }
  return { shape: [t.shape[0]!, ...outSpatial], data: resampleSeparable(t.data, t.shape, tables) };
}

function toAxisMode(mode: ResizeMode): AxisMode {
  switch (mode) {
    case 'linear':
    case 'bilinear':
    case 'trilinear':
      return 'linear';
    case 'nearest':
    case 'nearest-exact':
    case 'area':
      return mode;
    default:
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `resize: mode must be one of nearest, nearest-exact, linear, bilinear, trilinear, area; got '${String(mode)}'`,
      );
  }
}

/** The output spatial shape for MONAI's size_mode 'all' or 'longest'. */
function resolveSize(
  inSpatial: readonly number[],
  size: number | readonly number[],
  sizeMode: string,
): number[] {
  if (sizeMode === 'longest') {
    assert(
      typeof size === 'number' && Number.isInteger(size) && size > 0,
      () => `resize: with sizeMode 'longest', spatialSize must be one positive integer, got ${fmt(size)}`,
    );
    const scale = size / Math.max(...inSpatial);
    return inSpatial.map((s, d) => {
      const m = roundHalfEven(s * scale);
      assert(m > 0, () => `resize: sizeMode 'longest' would make spatial axis ${d} (size ${s}) empty`);
      return m;
    });
  }
  assert(sizeMode === 'all', () => `resize: sizeMode must be 'all' or 'longest', got '${sizeMode}'`);
  assert(
    Array.isArray(size) && size.length === inSpatial.length,
    () =>
      `resize: spatialSize must list ${inSpatial.length} sizes (one per spatial axis of [${inSpatial.join(', ')}]), got ${fmt(size)}`,
  );
  return (size as readonly number[]).map((m, d) => {
    assert(
      (Number.isInteger(m) && m > 0) || m === -1,
      () => `resize: spatialSize[${d}] must be a positive integer or -1 (keep), got ${m}`,
    );
    return m === -1 ? inSpatial[d]! : m;
  });
}

/** Python's round(): halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function fmt(v: unknown): string {
  return Array.isArray(v) ? `[${v.join(', ')}]` : String(v);
}
