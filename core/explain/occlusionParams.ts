// Occlusion sensitivity's parameters as MONAI names them (monai/visualize/occlusion_sensitivity.py, 1.3.2 /
// 1.5.0), checked, and the geometry they imply: the search region a bounding box opens, the mask clipped to
// it, and the sliding-window starts (monai/inferers/utils.py _get_scan_interval, monai/data/utils.py
// dense_patch_slices). Also the cost estimate: one forward pass per window.

import { VoxlabError } from '../common/errors.js';

/**
 * What an occluded window is replaced with (MONAI's `mode`, plus 'mean_surround', our default: see
 * occluders.ts for each and why the default is not MONAI's 'gaussian').
 */
export type OcclusionMode = 'gaussian' | 'mean_surround' | 'mean_img' | 'mean_patch' | number;

/** The named modes, default first. */
export const OCCLUSION_MODES = ['mean_surround', 'gaussian', 'mean_patch', 'mean_img'] as const;

/**
 * How logits become the numbers averaged into the map. 'softmax' over classes (our default); 'monai' is
 * MONAI's activate=True rule: sigmoid per class when the INPUT has one channel, softmax otherwise;
 * 'sigmoid' per class; 'none' keeps the logits (MONAI's activate=False).
 */
export type OcclusionActivation = 'softmax' | 'monai' | 'sigmoid' | 'none';

/** OcclusionSensitivity's arguments. Spatial axes are the input's [depth, height, width] (the file's i, j, k). */
export interface OcclusionParams {
  /** Edge of the occluded cube in voxels, or one per spatial axis. MONAI default 16. */
  readonly maskSize?: number | readonly [number, number, number];
  /** Occluded copies per classifier call. MONAI default 16. */
  readonly nBatch?: number;
  /** Fraction of the mask that neighbouring windows share, in [0, 1). MONAI 1.3.2 default 0.25 (1.5.0: 0.6). */
  readonly overlap?: number;
  /**
   * Default 'mean_surround' (removes a feature whatever its contrast, issue #16). MONAI's default is
   * 'gaussian': pass it for MONAI's maps.
   */
  readonly mode?: OcclusionMode;
  /**
   * [min0, max0, min1, max1, min2, max2] in voxel indices of the input, max EXCLUSIVE (MONAI's docstring
   * says inclusive; its code is not), -1 = the whole extent of that axis. One slice d of axis 0:
   * [d, d + 1, -1, -1, -1, -1]. Default: the whole volume.
   */
  readonly bBox?: readonly number[];
  /** Default 'softmax'. */
  readonly activation?: OcclusionActivation;
}

/** A box of voxels [start, end) per spatial axis. */
export interface VoxelBox {
  readonly start: readonly [number, number, number];
  readonly end: readonly [number, number, number];
}

/** The parameters with defaults filled in and the geometry they give on one input size. */
export interface OcclusionPlan {
  readonly spatial: readonly [number, number, number];
  /** The mask after clipping to the search region (MONAI clips it when a b_box is given). */
  readonly maskSize: readonly [number, number, number];
  readonly nBatch: number;
  readonly overlap: number;
  readonly mode: OcclusionMode;
  readonly activation: OcclusionActivation;
  /** Where the map is reported (MONAI's output crop): the b_box, or the whole input. */
  readonly box: VoxelBox;
  /** Where windows are placed: the b_box grown by (mask - 1) // 2 per side, clipped to the input. */
  readonly searchRegion: VoxelBox;
  /** Window start voxels per spatial axis, in input coordinates. */
  readonly starts: readonly [readonly number[], readonly number[], readonly number[]];
  /** Number of windows = occluded forward passes (MONAI's count; the unoccluded baseline adds one). */
  readonly windows: number;
}

export const OCCLUSION_DEFAULTS = {
  maskSize: 16,
  nBatch: 16,
  overlap: 0.25,
  mode: 'mean_surround',
  activation: 'softmax',
} as const;

const ACTIVATIONS: readonly string[] = ['softmax', 'monai', 'sigmoid', 'none'];

/**
 * Checks `params` against an input of `spatial` voxels [depth, height, width] and lays out the windows.
 * Throws BAD_ARGUMENT naming the bad parameter (mask not a positive integer or larger than the input
 * without a b_box, overlap outside [0, 1), nBatch < 1, unknown mode or activation, malformed b_box).
 */
export function planOcclusion(spatial: readonly number[], params: OcclusionParams = {}): OcclusionPlan {
  const fail = (msg: string): never => {
    throw new VoxlabError('BAD_ARGUMENT', `occlusionSensitivity: ${msg}`);
  };
  if (spatial.length !== 3 || !spatial.every((n) => Number.isInteger(n) && n > 0))
    fail(`the input must have 3 positive spatial sizes, got [${spatial.join(', ')}]`);
  const size = spatial as readonly [number, number, number];
  const maskIn = params.maskSize ?? OCCLUSION_DEFAULTS.maskSize;
  const mask = typeof maskIn === 'number' ? [maskIn, maskIn, maskIn] : [...maskIn];
  if (mask.length !== 3 || !mask.every((m) => Number.isInteger(m) && m > 0))
    fail(`maskSize must be a positive integer or 3 of them, got ${JSON.stringify(maskIn)}`);
  const overlap = params.overlap ?? OCCLUSION_DEFAULTS.overlap;
  if (!(typeof overlap === 'number' && overlap >= 0 && overlap < 1))
    fail(`overlap must be a number in [0, 1), got ${String(overlap)}`);
  const nBatch = params.nBatch ?? OCCLUSION_DEFAULTS.nBatch;
  if (!(Number.isInteger(nBatch) && nBatch >= 1))
    fail(`nBatch must be a positive integer, got ${String(nBatch)}`);
  const mode = params.mode ?? OCCLUSION_DEFAULTS.mode;
  const modeOk =
    typeof mode === 'number' ? Number.isFinite(mode) : (OCCLUSION_MODES as readonly string[]).includes(mode);
  if (!modeOk)
    fail(`mode must be one of ${OCCLUSION_MODES.join(', ')} or a finite number, got ${JSON.stringify(mode)}`);
  const activation = params.activation ?? OCCLUSION_DEFAULTS.activation;
  if (!ACTIVATIONS.includes(activation))
    fail(`activation must be one of ${ACTIVATIONS.join(', ')}, got ${JSON.stringify(activation)}`);

  const edge = mask.map((m) => Math.floor((m - 1) / 2));
  let box: VoxelBox = { start: [0, 0, 0], end: size };
  let search: VoxelBox = box;
  if (params.bBox !== undefined) {
    box = checkBox(params.bBox, size, fail);
    search = {
      start: box.start.map((s, d) => (params.bBox![2 * d] === -1 ? 0 : Math.max(s - edge[d]!, 0))) as [
        number,
        number,
        number,
      ],
      end: box.end.map((e, d) =>
        params.bBox![2 * d + 1] === -1 ? size[d]! : Math.min(e + edge[d]!, size[d]!),
      ) as [number, number, number],
    };
    // MONAI clips the mask to the searched extent (crop_meshgrid).
    for (let d = 0; d < 3; d++) mask[d] = Math.min(mask[d]!, search.end[d]! - search.start[d]!);
  } else if (mask.some((m, d) => m > size[d]!)) {
    fail(`maskSize [${mask.join(', ')}] is larger than the input [${size.join(', ')}]`);
  }
  const starts = [0, 1, 2].map((d) =>
    windowStarts(search.start[d]!, search.end[d]! - search.start[d]!, mask[d]!, overlap),
  ) as unknown as [number[], number[], number[]];
  return {
    spatial: size,
    maskSize: mask as unknown as [number, number, number],
    nBatch,
    overlap,
    mode,
    activation,
    box,
    searchRegion: search,
    starts,
    windows: starts[0].length * starts[1].length * starts[2].length,
  };
}

/**
 * Sliding-window starts along one axis of `length` voxels beginning at `offset`: step
 * int(mask * (1 - overlap)) (at least 1; the whole length when mask = length), as many windows as needed
 * to reach the end, the last moved back so that it ends at the border.
 */
export function windowStarts(offset: number, length: number, mask: number, overlap: number): number[] {
  const step = mask === length ? mask : Math.max(1, Math.trunc(mask * (1 - overlap)));
  let count = 1;
  while ((count - 1) * step + mask < length) count++;
  return Array.from({ length: count }, (_, i) => offset + Math.min(i * step, length - mask));
}

/**
 * Forward passes occlusion sensitivity needs for `params` on an input of `spatial` voxels: `windows`
 * (MONAI's count) occluded inputs in `batches` classifier calls, plus one unoccluded baseline pass.
 * Examples on 96^3 (MONAI 1.3.2's overlap 0.25): mask 12 on one slice = 121 windows; whole volume mask 16 =
 * 512; overlap 0.6 = 3375. Throws like planOcclusion.
 */
export function occlusionCost(
  spatial: readonly number[],
  params: OcclusionParams = {},
): { windows: number; batches: number; forwardPasses: number } {
  const plan = planOcclusion(spatial, params);
  return {
    windows: plan.windows,
    batches: Math.ceil(plan.windows / plan.nBatch),
    forwardPasses: plan.windows + 1,
  };
}

/**
 * The b_box of one slice: index `index` along spatial axis `axis` (0, 1, 2 = depth, height, width of the
 * input), the whole extent of the others; e.g. (0, 48) -> [48, 49, -1, -1, -1, -1] as in MONAI's tutorial.
 * For `--slice axis:index`. Throws BAD_ARGUMENT for an axis outside 0..2 or a negative / fractional index
 * (the upper bound is checked by planOcclusion against the input).
 */
export function sliceBBox(axis: number, index: number): number[] {
  if (!(axis === 0 || axis === 1 || axis === 2) || !(Number.isInteger(index) && index >= 0))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `sliceBBox: need axis 0, 1 or 2 and an index >= 0, got ${axis}:${index}`,
    );
  const box = [-1, -1, -1, -1, -1, -1];
  box[2 * axis] = index;
  box[2 * axis + 1] = index + 1;
  return box;
}

function checkBox(
  b: readonly number[],
  size: readonly [number, number, number],
  fail: (m: string) => never,
): VoxelBox {
  if (!Array.isArray(b) || b.length !== 6 || !b.every((v) => Number.isInteger(v)))
    fail(`bBox must be 6 integers [min0, max0, min1, max1, min2, max2], got ${JSON.stringify(b)}`);
  const start: number[] = [];
  const end: number[] = [];
  for (let d = 0; d < 3; d++) {
    const lo = b[2 * d]!;
    const hi = b[2 * d + 1]!;
    if (lo < -1 || hi < -1)
      fail(`bBox values must be voxel indices or -1 (whole extent), got ${JSON.stringify(b)}`);
    const s = lo === -1 ? 0 : lo;
    const e = hi === -1 ? size[d]! : hi;
    if (!(s < e && e <= size[d]!))
      fail(`bBox axis ${d}: need min < max <= ${size[d]} (max exclusive), got [${lo}, ${hi}]`);
    start.push(s);
    end.push(e);
  }
  return {
    start: start as unknown as [number, number, number],
    end: end as unknown as [number, number, number],
  };
}
