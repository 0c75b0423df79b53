// Where the frames of a SEG lie: from a labelmap grid (NIfTI RAS+ affine, as dcm2niix wrote it) and the
// source series' references, the frame layout whose rows, columns and planes coincide with the source
// images. dcm2niix never resamples, but it may permute and flip axes (it flips the row axis, and turns a
// sagittal 3D acquisition into i = left-right): the source's Image Orientation (Patient) says which NIfTI
// axis runs along its rows, which along its columns, and which across slices.

import { VoxlabError } from '../../common/errors.js';
import type { Lps, Orientation, SeriesRefs, SourceImage } from '../refs.js';

export type Vec3 = [number, number, number];

/** How a labelmap's voxels become SEG frames, and which source image each slice lies on. */
export interface FramePlan {
  readonly rows: number;
  readonly columns: number;
  /** PixelSpacing: [between rows (along the column direction), between columns (along the row direction)] in mm. */
  readonly pixelSpacing: readonly [number, number];
  /** Distance between adjacent planes along their normal, mm. */
  readonly sliceSpacing: number;
  /** The frames' Image Orientation (Patient), LPS, from the affine (matches the source within 1e-4). */
  readonly orientation: Orientation;
  /**
   * Labelmap index (x fastest, then y, then z) of frame pixel (row r, column c) on slice s:
   * origin + r * rowStride + c * columnStride + s * sliceStride.
   */
  readonly origin: number;
  readonly rowStride: number;
  readonly columnStride: number;
  readonly sliceStride: number;
  /** One per slice along the slice axis, in labelmap order. */
  readonly slices: readonly PlannedSlice[];
}

export interface PlannedSlice {
  /**
   * Image Position (Patient) of the frame's first pixel, LPS mm: from the affine, or the source image's
   * own position when that is the same point within 1% of a voxel.
   */
  readonly position: Lps;
  /** 1-based rank of this plane along the normal (the Image Position dimension index). */
  readonly rank: number;
  /** The source image on this plane (nearest along the normal, within half a slice), or null. */
  readonly source: SourceImage | null;
}

/** Fraction of the smallest voxel size within which a frame's first pixel counts as its source image's. */
const SNAP = 0.01;
/** Cosine above which two unit directions count as parallel (0.8° apart). */
const PARALLEL = 1 - 1e-4;

const dot = (a: readonly number[], b: readonly number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
const norm = (a: readonly number[]) => Math.sqrt(dot(a, a));
const cross = (a: readonly number[], b: readonly number[]): Vec3 => [
  a[1]! * b[2]! - a[2]! * b[1]!,
  a[2]! * b[0]! - a[0]! * b[2]!,
  a[0]! * b[1]! - a[1]! * b[0]!,
];

/** Column `a` of the affine's 3x3 part turned into LPS (x and y negated): one voxel step along axis a, mm. */
function axisLps(affine: readonly number[], a: number): Vec3 {
  return [-affine[a]!, -affine[4 + a]!, affine[8 + a]!];
}

/** Checks a 4x4 row-major affine: 16 finite numbers, last row 0 0 0 1, invertible 3x3 part. */
export function checkAffine(fn: string, affine: readonly number[]): void {
  if (!Array.isArray(affine) || affine.length !== 16 || !affine.every(Number.isFinite))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `${fn}: the affine must be 16 finite numbers (row-major 4x4), got ${JSON.stringify(affine)}`,
    );
  const cols = [0, 1, 2].map((a) => axisLps(affine, a));
  if (Math.abs(dot(cross(cols[0]!, cols[1]!), cols[2]!)) < 1e-9)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `${fn}: the affine is singular (its voxel axes do not span 3D space)`,
    );
}

/** Source images that can be placed: a position and a unit, orthogonal orientation. */
function placed(source: SeriesRefs): SourceImage[] {
  return source.instances.filter(
    (s) =>
      s.position !== null &&
      s.orientation !== null &&
      s.position.every(Number.isFinite) &&
      s.orientation.every(Number.isFinite),
  );
}

/** The NIfTI axis parallel to `dir` and its sign, or null. */
function axisAlong(units: Vec3[], dir: readonly number[]): { axis: number; sign: 1 | -1 } | null {
  for (let a = 0; a < 3; a++) {
    const c = dot(units[a]!, dir) / norm(dir);
    if (Math.abs(c) > PARALLEL) return { axis: a, sign: c > 0 ? 1 : -1 };
  }
  return null;
}

/**
 * The frame plan of a labelmap of `dims` = [nx, ny, nz] voxels on `affine` (RAS+ mm, row-major) for the
 * series `source`. Frames keep the source's row and column directions; each slice is matched to the
 * source image whose position, projected on the plane normal, is nearest (within half a slice; images at
 * the same place, such as echoes, go to the first listed). BAD_ARGUMENT when no source image has a
 * position and orientation; SHAPE_MISMATCH when the grid's axes do not run along the source's rows and
 * columns (a resampled or reoriented labelmap).
 */
export function planFrames(
  dims: readonly [number, number, number],
  affine: readonly number[],
  source: SeriesRefs,
): FramePlan {
  checkAffine('writeSeg', affine);
  const images = placed(source);
  if (images.length === 0)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      'writeSeg: no source image has a position and orientation of its own (Image Position/Orientation (Patient)); a SEG cannot be placed on this series (mosaics and multi-frame images without per-frame positions cannot be referenced)',
    );
  const steps = [0, 1, 2].map((a) => axisLps(affine, a));
  const units = steps.map((s) => s.map((v) => v / norm(s)) as Vec3);
  const strides = [1, dims[0], dims[0] * dims[1]];
  for (const image of images) {
    const o = image.orientation!;
    const row = axisAlong(units, o.slice(0, 3));
    const col = axisAlong(units, o.slice(3, 6));
    if (row === null || col === null || row.axis === col.axis) continue;
    const slice = 3 - row.axis - col.axis;
    const rowDir = units[row.axis]!.map((v) => v * row.sign) as Vec3;
    const colDir = units[col.axis]!.map((v) => v * col.sign) as Vec3;
    const normal = cross(rowDir, colDir);
    const first: Vec3 = [0, 0, 0];
    first[row.axis] = row.sign > 0 ? 0 : dims[row.axis]! - 1;
    first[col.axis] = col.sign > 0 ? 0 : dims[col.axis]! - 1;
    const sliceSpacing = Math.abs(dot(steps[slice]!, normal));
    const sameOrientation = images.filter((s) => parallelOrientation(s.orientation!, o));
    const positions = Array.from({ length: dims[slice]! }, (_, s) => {
      const v = [...first];
      v[slice] = s;
      return [0, 1, 2].map((r) => affineLps(affine, r, v)) as unknown as Lps;
    });
    const order = positions.map((p, s) => [dot(p, normal), s] as const).sort((a, b) => a[0] - b[0]);
    const rank = new Array<number>(positions.length);
    order.forEach(([, s], i) => (rank[s] = i + 1));
    return {
      rows: dims[col.axis]!,
      columns: dims[row.axis]!,
      pixelSpacing: [norm(steps[col.axis]!), norm(steps[row.axis]!)],
      sliceSpacing,
      orientation: [...rowDir, ...colDir] as unknown as Orientation,
      origin: first[0]! * strides[0]! + first[1]! * strides[1]! + first[2]! * strides[2]!,
      rowStride: col.sign * strides[col.axis]!,
      columnStride: row.sign * strides[row.axis]!,
      sliceStride: strides[slice]!,
      slices: positions.map((position, s) => {
        const source = nearest(sameOrientation, position, normal, sliceSpacing / 2);
        // The source's own position when it is the same point (within 1% of a voxel): dcm2niix's float32
        // sform drifts up to ~1e-3 mm across 176 slices; the DICOM positions are the truth it summarises.
        const same =
          source !== null &&
          Math.hypot(...source.position!.map((v, i) => v - position[i]!)) <=
            SNAP * Math.min(...steps.map(norm));
        return { position: same ? source.position! : position, rank: rank[s]!, source };
      }),
    };
  }
  throw new VoxlabError(
    'SHAPE_MISMATCH',
    `writeSeg: the labelmap's axes do not run along the source images' rows and columns (source orientation ${JSON.stringify(images[0]!.orientation)}); was the image resampled or reoriented after conversion?`,
  );
}

/** Row `r` (0..2) of the affine applied to voxel v, in LPS (rows 0 and 1 negated). */
function affineLps(affine: readonly number[], r: number, v: readonly number[]): number {
  const x =
    affine[r * 4]! * v[0]! + affine[r * 4 + 1]! * v[1]! + affine[r * 4 + 2]! * v[2]! + affine[r * 4 + 3]!;
  return r < 2 ? -x : x;
}

function parallelOrientation(a: Orientation, b: Orientation): boolean {
  return dot(a.slice(0, 3), b.slice(0, 3)) > PARALLEL && dot(a.slice(3, 6), b.slice(3, 6)) > PARALLEL;
}

/** The first image whose plane is nearest `position` along `normal`, if within `tolerance` mm. */
function nearest(
  images: readonly SourceImage[],
  position: Lps,
  normal: Vec3,
  tolerance: number,
): SourceImage | null {
  const d = dot(position, normal);
  let best: SourceImage | null = null;
  let bestDistance = Infinity;
  for (const image of images) {
    const distance = Math.abs(dot(image.position!, normal) - d);
    if (distance < bestDistance) [best, bestDistance] = [image, distance];
  }
  return bestDistance <= tolerance ? best : null;
}
