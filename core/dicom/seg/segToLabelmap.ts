// A DICOM SEG's pixels back onto a labelmap grid: each frame placed by its Image Position and Orientation
// (Patient) and Pixel Spacing through the inverse of the target affine, so frames may run along any of
// the grid's axes, in either direction (the inverse of writeSeg's frame plan, for any writer's SEG).

import { VoxlabError } from '../../common/errors.js';
import { invert3, linearPart } from '../../common/matrix3.js';
import { checkAffine, type Vec3 } from './segGeometry.js';
import { decodeSeg, type SegFrame } from './readSeg.js';

export interface SegToLabelmapOptions {
  /** Segment number → labelmap value (1..255); default: the segment number itself. */
  readonly values?: ReadonlyMap<number, number>;
}

/** Off-grid tolerance in voxels: positions and steps must land this close to whole voxel indices. */
const GRID_TOLERANCE = 0.01;

/**
 * Voxel coordinates of frame pixel (row 0, column 0) and the voxel steps per column and per row, with
 * the target affine (RAS+); positions in the SEG are LPS, so x and y are negated first.
 */
function frameToVoxels(
  frame: SegFrame,
  affine: readonly number[],
): { origin: Vec3; perColumn: Vec3; perRow: Vec3 } {
  const inv = invert3(linearPart(affine));
  const apply = (v: readonly number[]): Vec3 =>
    [0, 1, 2].map((r) => inv[r * 3]! * v[0]! + inv[r * 3 + 1]! * v[1]! + inv[r * 3 + 2]! * v[2]!) as Vec3;
  const ras = (v: readonly number[]) => [-v[0]!, -v[1]!, v[2]!];
  const [p, o, [dr, dc]] = [frame.position, frame.orientation, frame.pixelSpacing];
  return {
    origin: apply([-p[0] - affine[3]!, -p[1] - affine[7]!, p[2] - affine[11]!]),
    perColumn: apply(ras(o.slice(0, 3).map((v) => v * dc))),
    perRow: apply(ras(o.slice(3, 6).map((v) => v * dr))),
  };
}

const offGrid = (v: readonly number[]) => Math.max(...v.map((x) => Math.abs(x - Math.round(x))));

/**
 * The labelmap (layout x fastest, then y, then z; 0 = background) of the SEG in `bytes` on the grid of
 * `dims` voxels and `affine` (16 numbers, row-major, NIfTI RAS+ mm). Where segments overlap, the later
 * frame wins. NOT_A_VOLUME as decodeSeg; BAD_ARGUMENT for bad dims/affine or a segment without a value in
 * 1..255; SHAPE_MISMATCH when a frame does not lie on the grid (off by more than 0.01 voxel, or tilted)
 * or a painted pixel falls outside it.
 */
export function segToLabelmap(
  bytes: Uint8Array,
  dims: readonly [number, number, number],
  affine: readonly number[],
  options: SegToLabelmapOptions = {},
): Uint8Array {
  if (!Array.isArray(dims) || dims.length !== 3 || !dims.every((d) => Number.isInteger(d) && d > 0))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `segToLabelmap: dims must be three positive whole numbers, got ${JSON.stringify(dims)}`,
    );
  checkAffine('segToLabelmap', affine);
  const seg = decodeSeg(bytes);
  const [nx, ny, nz] = dims;
  const out = new Uint8Array(nx * ny * nz);
  const perFrame = seg.rows * seg.columns;
  seg.frames.forEach((frame, f) => {
    const value =
      options.values === undefined ? frame.segmentNumber : options.values.get(frame.segmentNumber);
    if (value === undefined || !Number.isInteger(value) || value < 1 || value > 255)
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `segToLabelmap: segment ${frame.segmentNumber} has no labelmap value in 1..255 (got ${value}); pass options.values`,
      );
    const { origin, perColumn, perRow } = frameToVoxels(frame, affine);
    const drift = Math.max(offGrid(origin), offGrid(perColumn) * seg.columns, offGrid(perRow) * seg.rows);
    if (drift > GRID_TOLERANCE)
      throw new VoxlabError(
        'SHAPE_MISMATCH',
        `segToLabelmap: frame ${f + 1} of the SEG does not lie on the target grid (off by ${drift.toFixed(3)} voxels); the SEG was made on another image`,
      );
    const [o, c, r] = [origin, perColumn, perRow].map((v) => v.map(Math.round));
    const unitAxis = (v: number[]) =>
      v.filter((x) => x !== 0).length === 1 && v.some((x) => Math.abs(x) === 1);
    if (!unitAxis(c!) || !unitAxis(r!) || c!.findIndex((x) => x !== 0) === r!.findIndex((x) => x !== 0))
      throw new VoxlabError(
        'SHAPE_MISMATCH',
        `segToLabelmap: frame ${f + 1}'s pixels do not step one voxel along the grid's axes (per column ${c!.join(', ')}, per row ${r!.join(', ')}); the SEG has another resolution`,
      );
    for (let row = 0; row < seg.rows; row++) {
      for (let col = 0; col < seg.columns; col++) {
        const bit = f * perFrame + row * seg.columns + col;
        if ((seg.bits[bit >>> 3]! & (1 << (bit & 7))) === 0) continue;
        const x = o![0]! + col * c![0]! + row * r![0]!;
        const y = o![1]! + col * c![1]! + row * r![1]!;
        const z = o![2]! + col * c![2]! + row * r![2]!;
        if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz)
          throw new VoxlabError(
            'SHAPE_MISMATCH',
            `segToLabelmap: frame ${f + 1} paints voxel (${x}, ${y}, ${z}), outside the ${dims.join('x')} grid`,
          );
        out[x + nx * (y + ny * z)] = value;
      }
    }
  });
  return out;
}
