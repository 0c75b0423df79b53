// A labelmap as a DICOM Segmentation (SEG) referencing its source series (issue #11, "Out"): BINARY,
// one bit-packed frame per (segment, slice) that holds the segment, frames on the source's planes with
// its row/column directions, each frame pointing at the source image it lies on. IOD: DICOM PS3.3 2024
// A.51 (Segmentation), C.8.20 (Segmentation Image Module), C.7.6.16 (Multi-frame Functional Groups),
// C.7.6.17 (Multi-frame Dimension), C.12.2 (Common Instance Reference). Layout after highdicom's and
// dcmqi's SEGs: dimensions ReferencedSegmentNumber then ImagePositionPatient, frames by segment then slice.

import { VoxlabError } from '../../common/errors.js';
import { newUid } from '../write/uid.js';
import { writePart10 } from '../write/writePart10.js';
import { hexToDicomLab } from './cielab.js';
import { segDataset } from './segDataset.js';
import { planFrames, type FramePlan } from './segGeometry.js';
import type { SegFrameRef, SegInput, SegOutput } from './segTypes.js';

export {
  SEG_SOP_CLASS_UID,
  type SegFrameRef,
  type SegInput,
  type SegOutput,
  type SegSegmentInput,
} from './segTypes.js';

/** Which slices hold each value: present[value][slice] (slices along the plan's slice axis). */
function slicesWithValues(labelmap: Uint8Array, plan: FramePlan): boolean[][] {
  const present = Array.from({ length: 256 }, () => new Array<boolean>(plan.slices.length).fill(false));
  for (let s = 0; s < plan.slices.length; s++) {
    const base = plan.origin + s * plan.sliceStride;
    for (let r = 0; r < plan.rows; r++) {
      const rowBase = base + r * plan.rowStride;
      for (let c = 0; c < plan.columns; c++) present[labelmap[rowBase + c * plan.columnStride]!]![s] = true;
    }
  }
  return present;
}

function checkInput(input: SegInput): void {
  const { labelmap, dims, segments } = input;
  if (!(labelmap instanceof Uint8Array))
    throw new VoxlabError('BAD_ARGUMENT', 'writeSeg: the labelmap must be a Uint8Array of class values');
  if (
    !Array.isArray(dims) ||
    dims.length !== 3 ||
    !dims.every((d) => Number.isInteger(d) && d > 0 && d <= 0xffff)
  )
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `writeSeg: dims must be three whole numbers in 1..65535, got ${JSON.stringify(dims)}`,
    );
  const voxels = dims[0] * dims[1] * dims[2];
  if (labelmap.length !== voxels)
    throw new VoxlabError(
      'SHAPE_MISMATCH',
      `writeSeg: the labelmap has ${labelmap.length} voxels but dims ${dims.join('x')} need ${voxels}`,
      { expected: voxels, actual: labelmap.length },
    );
  const values = new Set<number>();
  for (const s of segments) {
    if (!Number.isInteger(s.value) || s.value < 1 || s.value > 255)
      throw new VoxlabError('BAD_ARGUMENT', `writeSeg: segment value ${s.value} is not in 1..255`);
    if (values.has(s.value))
      throw new VoxlabError('BAD_ARGUMENT', `writeSeg: segment value ${s.value} is described twice`);
    if (typeof s.label !== 'string' || s.label.trim() === '')
      throw new VoxlabError('BAD_ARGUMENT', `writeSeg: segment value ${s.value} has no label`);
    hexToDicomLab(s.colour);
    values.add(s.value);
  }
}

/**
 * The SEG of `input.labelmap` on the source series. Frames: for each segment (by value), each slice that
 * holds it, in slice order. BAD_ARGUMENT for an empty labelmap, a value without a description, bad dims,
 * affine or segments, or a source without positions; SHAPE_MISMATCH for a labelmap of the wrong size, a
 * grid not along the source's rows and columns, or a painted slice that lies on no source image.
 */
export function writeSeg(input: SegInput): SegOutput {
  checkInput(input);
  const plan = planFrames(input.dims, input.affine, input.source);
  const present = slicesWithValues(input.labelmap, plan);
  const described = new Map(input.segments.map((s) => [s.value, s]));
  const used = [...described.keys()].filter((v) => present[v]!.some(Boolean)).sort((a, b) => a - b);
  for (let v = 1; v < 256; v++)
    if (present[v]!.some(Boolean) && !described.has(v))
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `writeSeg: the labelmap holds value ${v} but no segment describes it`,
      );
  if (used.length === 0)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      'writeSeg: the labelmap is empty (no voxel holds a segment): nothing to export',
    );
  const frames: SegFrameRef[] = [];
  used.forEach((value, i) => {
    plan.slices.forEach((slice, s) => {
      if (!present[value]![s]) return;
      if (slice.source === null)
        throw new VoxlabError(
          'SHAPE_MISMATCH',
          `writeSeg: slice ${s} (at ${slice.position.map((v) => v.toFixed(2)).join(', ')} mm LPS) lies on no image of the source series`,
        );
      frames.push({ segmentNumber: i + 1, value, slice: s, source: slice.source });
    });
  });
  const seriesInstanceUid = newUid();
  const sopInstanceUid = newUid();
  const dataset = segDataset(
    input,
    plan,
    used.map((v) => described.get(v)!),
    frames,
    { seriesInstanceUid, sopInstanceUid },
    packFrames(input.labelmap, plan, frames),
  );
  return { bytes: writePart10(dataset), seriesInstanceUid, sopInstanceUid, segments: used.length };
}

/** Frames as one bit stream: frame f's pixel (r, c) is bit f·rows·columns + r·columns + c, least significant first; not padded between frames (PS3.5 8.1.1). */
function packFrames(labelmap: Uint8Array, plan: FramePlan, frames: readonly SegFrameRef[]): Uint8Array {
  const perFrame = plan.rows * plan.columns;
  const bytes = Math.ceil((frames.length * perFrame) / 8);
  const out = new Uint8Array(bytes + (bytes % 2)); // even length (PS3.5 7.1.1)
  frames.forEach((frame, f) => {
    let bit = f * perFrame;
    const base = plan.origin + frame.slice * plan.sliceStride;
    for (let r = 0; r < plan.rows; r++) {
      const rowBase = base + r * plan.rowStride;
      for (let c = 0; c < plan.columns; c++, bit++)
        if (labelmap[rowBase + c * plan.columnStride] === frame.value) out[bit >>> 3]! |= 1 << (bit & 7);
    }
  });
  return out;
}
