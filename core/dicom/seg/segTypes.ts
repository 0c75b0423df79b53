// The types of a SEG export: what writeSeg takes and gives, and one frame of the plan (a segment on a
// slice, with the source image it derives from).

import type { SeriesRefs, SourceImage } from '../refs.js';
import type { Code } from './codes.js';

/** SOP Class UID of Segmentation Storage (PS3.4 B.5). */
export const SEG_SOP_CLASS_UID = '1.2.840.10008.5.1.4.1.1.66.4';

/** One class of the labelmap to write as a segment. */
export interface SegSegmentInput {
  /** The labelmap value (1..255) of this class. */
  readonly value: number;
  /** Segment Label (LO: at most 64 characters, no backslash). */
  readonly label: string;
  /** Display colour, '#rrggbb' (sRGB), written as Recommended Display CIELab Value. */
  readonly colour: string;
  /** Segmented Property Category / Type; both default to SCT 85756007 "Tissue" (see codes.ts). */
  readonly category?: Code;
  readonly type?: Code;
}

export interface SegInput {
  /** Class index per voxel, layout x fastest, then y, then z: value(x, y, z) = labelmap[x + nx * (y + ny * z)]; 0 = background. */
  readonly labelmap: Uint8Array;
  /** [nx, ny, nz] voxels. */
  readonly dims: readonly [number, number, number];
  /** 16 numbers, row-major 4x4, NIfTI RAS+ mm: voxel (i, j, k, 1) → (x, y, z, 1): the sform dcm2niix wrote. */
  readonly affine: readonly number[];
  /** Descriptions of the classes; only values present in the labelmap become segments (numbered 1.. by value). */
  readonly segments: readonly SegSegmentInput[];
  /** The series the labelmap was converted from (refs.ts seriesRefs). */
  readonly source: SeriesRefs;
  /** Series Description and Content Description (default 'Segmentation'). */
  readonly seriesDescription?: string;
  /** Content Creator's Name (PN, e.g. 'Doe^Jane'); empty when not given. */
  readonly contentCreatorName?: string;
  /** Software Versions (default 'unspecified'). Manufacturer and model name are always 'voxlab'. */
  readonly softwareVersions?: string;
  /** Series Number (default 1000 + the source's, or 1000). */
  readonly seriesNumber?: number;
}

export interface SegOutput {
  /** The SEG as a DICOM Part 10 file, Explicit VR Little Endian. */
  readonly bytes: Uint8Array;
  readonly seriesInstanceUid: string;
  readonly sopInstanceUid: string;
  /** Number of segments written (classes present in the labelmap). */
  readonly segments: number;
}

/** One SEG frame: the slice (along the plan's slice axis) of one segment, and its source image. */
export interface SegFrameRef {
  readonly segmentNumber: number;
  readonly value: number;
  readonly slice: number;
  readonly source: SourceImage;
}
