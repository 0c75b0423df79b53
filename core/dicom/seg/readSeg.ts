// Reads a DICOM SEG: its segments, its frames' geometry and references, and (segToLabelmap.ts) its
// pixels back onto a labelmap grid. BINARY segmentations with native (uncompressed) pixel data, from
// voxlab or other writers (per-frame or shared functional groups). PS3.3 C.8.20, C.7.6.16.

import { isVoxlabError, VoxlabError } from '../../common/errors.js';
import type { Lps, Orientation } from '../refs.js';
import {
  getBinaryNumbers,
  getDecimal,
  getDecimals,
  getItems,
  getText,
  getUint16,
} from '../write/accessors.js';
import { parsePart10, type ParsedDataset } from '../write/decodeDataset.js';
import { tagOf } from '../write/dictionary.js';
import { dicomLabToHex } from './cielab.js';
import type { Code } from './codes.js';
import { SEG_SOP_CLASS_UID } from './segTypes.js';

export interface SegSegment {
  readonly number: number;
  readonly label: string;
  /** From Recommended Display CIELab Value, as '#rrggbb'; absent when the SEG gives none. */
  readonly colour?: string;
  readonly category: Code | null;
  readonly type: Code | null;
}

export interface SegFrame {
  readonly segmentNumber: number;
  /** Image Position (Patient) of the frame's first pixel, LPS mm. */
  readonly position: Lps;
  readonly orientation: Orientation;
  /** [between rows, between columns], mm. */
  readonly pixelSpacing: readonly [number, number];
  /** The source image this frame derives from (Source Image Sequence), when given. */
  readonly referencedSopInstanceUid: string | null;
  readonly referencedFrameNumber: number | null;
}

export interface SegInfo {
  readonly sopInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly studyInstanceUid: string;
  readonly frameOfReferenceUid: string | null;
  /** The first series of the Referenced Series Sequence (the source), or null. */
  readonly referencedSeriesInstanceUid: string | null;
  readonly rows: number;
  readonly columns: number;
  readonly segments: readonly SegSegment[];
  readonly frames: readonly SegFrame[];
}

/** SegInfo plus the packed pixel bits (frame f, pixel p at bit f·rows·columns + p, least significant first). */
export interface DecodedSeg extends SegInfo {
  readonly bits: Uint8Array;
}

function notSeg(message: string, cause?: unknown): never {
  throw new VoxlabError(
    'NOT_A_VOLUME',
    `readSeg: ${message}`,
    undefined,
    cause === undefined ? undefined : { cause },
  );
}

function codeOf(item: ParsedDataset | undefined): Code | null {
  if (item === undefined) return null;
  const value = getText(item, 'CodeValue');
  const scheme = getText(item, 'CodingSchemeDesignator');
  return value === null || scheme === null
    ? null
    : { value, scheme, meaning: getText(item, 'CodeMeaning') ?? '' };
}

function segmentsOf(ds: ParsedDataset): SegSegment[] {
  const items = getItems(ds, 'SegmentSequence');
  if (items.length === 0) notSeg('the SEG has no Segment Sequence');
  return items.map((item, i) => {
    const number = getUint16(item, 'SegmentNumber');
    if (number === null) notSeg(`segment item ${i + 1} has no Segment Number`);
    const lab = getBinaryNumbers(item, 'RecommendedDisplayCIELabValue', 'uint16');
    return {
      number,
      label: getText(item, 'SegmentLabel') ?? `Segment ${number}`,
      ...(lab.length === 3 ? { colour: dicomLabToHex(lab) } : {}),
      category: codeOf(getItems(item, 'SegmentedPropertyCategoryCodeSequence')[0]),
      type: codeOf(getItems(item, 'SegmentedPropertyTypeCodeSequence')[0]),
    };
  });
}

type Sequence = Parameters<typeof getItems>[1];

/** The first item of `sequence` in the frame's own functional groups, else in the shared ones (PS3.3 C.7.6.16). */
function group(
  perFrame: ParsedDataset,
  shared: ParsedDataset | undefined,
  sequence: Sequence,
): ParsedDataset | undefined {
  return (
    getItems(perFrame, sequence)[0] ?? (shared === undefined ? undefined : getItems(shared, sequence)[0])
  );
}

function framesOf(ds: ParsedDataset, count: number): SegFrame[] {
  const shared = getItems(ds, 'SharedFunctionalGroupsSequence')[0];
  const perFrame = getItems(ds, 'PerFrameFunctionalGroupsSequence');
  if (perFrame.length !== count)
    notSeg(`Number of Frames is ${count} but the Per-Frame Functional Groups hold ${perFrame.length} items`);
  return perFrame.map((item, f) => {
    const where = `frame ${f + 1}`;
    const read = <T>(sequence: Sequence, get: (g: ParsedDataset) => T | null): T | null => {
      const g = group(item, shared, sequence);
      return g === undefined ? null : get(g);
    };
    const segmentNumber = read('SegmentIdentificationSequence', (g) =>
      getUint16(g, 'ReferencedSegmentNumber'),
    );
    const position = read('PlanePositionSequence', (g) => getDecimals(g, 'ImagePositionPatient'));
    const orientation = read('PlaneOrientationSequence', (g) => getDecimals(g, 'ImageOrientationPatient'));
    const spacing = read('PixelMeasuresSequence', (g) => getDecimals(g, 'PixelSpacing'));
    if (segmentNumber === null) notSeg(`${where} names no segment (Referenced Segment Number)`);
    if (position === null || position.length !== 3) notSeg(`${where} has no Image Position (Patient)`);
    if (orientation === null || orientation.length !== 6)
      notSeg(`${where} has no Image Orientation (Patient)`);
    if (spacing === null || spacing.length !== 2 || !spacing.every((v) => v > 0))
      notSeg(`${where} has no valid Pixel Spacing`);
    const derivation = getItems(item, 'DerivationImageSequence')[0];
    const sourceItem = derivation === undefined ? undefined : getItems(derivation, 'SourceImageSequence')[0];
    return {
      segmentNumber,
      position: position as unknown as Lps,
      orientation: orientation as unknown as Orientation,
      pixelSpacing: [spacing[0]!, spacing[1]!],
      referencedSopInstanceUid:
        sourceItem === undefined ? null : getText(sourceItem, 'ReferencedSOPInstanceUID'),
      referencedFrameNumber:
        sourceItem === undefined ? null : getDecimal(sourceItem, 'ReferencedFrameNumber'),
    };
  });
}

/**
 * The SEG in `bytes` with its packed pixels. NOT_A_VOLUME, in words, for bytes that are not DICOM or are
 * damaged, another SOP class, a FRACTIONAL or compressed SEG, or frames without geometry.
 */
export function decodeSeg(bytes: Uint8Array): DecodedSeg {
  let ds: ParsedDataset;
  let pixelFragments: boolean;
  try {
    const parsed = parsePart10(bytes);
    ds = parsed.dataset;
    pixelFragments = parsed.dataset.elements.get(tagOf('PixelData'))?.fragments != null;
  } catch (e) {
    if (isVoxlabError(e)) notSeg(`not a readable DICOM file (${e.message})`, e);
    throw e;
  }
  const sopClass = getText(ds, 'SOPClassUID');
  if (sopClass !== SEG_SOP_CLASS_UID)
    notSeg(`not a DICOM Segmentation (SOP Class ${sopClass ?? 'missing'}, expected ${SEG_SOP_CLASS_UID})`);
  const type = getText(ds, 'SegmentationType');
  if (type !== 'BINARY') notSeg(`Segmentation Type ${type ?? 'missing'} is not read by voxlab (only BINARY)`);
  if (pixelFragments)
    notSeg('the SEG pixels are compressed (encapsulated); voxlab reads uncompressed SEGs only');
  const rows = getUint16(ds, 'Rows');
  const columns = getUint16(ds, 'Columns');
  const count = getDecimal(ds, 'NumberOfFrames') ?? 1;
  if (rows === null || columns === null || rows === 0 || columns === 0) notSeg('the SEG has no Rows/Columns');
  if (getUint16(ds, 'BitsAllocated') !== 1) notSeg('a BINARY SEG must have Bits Allocated 1');
  if (!Number.isInteger(count) || count < 1)
    notSeg(`Number of Frames ${count} is not a positive whole number`);
  const bits = ds.elements.get(tagOf('PixelData'))?.value ?? new Uint8Array(0);
  const needed = Math.ceil((count * rows * columns) / 8);
  if (bits.length < needed)
    notSeg(`the pixel data holds ${bits.length} bytes, ${count} frames of ${rows}x${columns} need ${needed}`);
  const referenced = getItems(ds, 'ReferencedSeriesSequence')[0];
  return {
    sopInstanceUid: getText(ds, 'SOPInstanceUID') ?? '',
    seriesInstanceUid: getText(ds, 'SeriesInstanceUID') ?? '',
    studyInstanceUid: getText(ds, 'StudyInstanceUID') ?? '',
    frameOfReferenceUid: getText(ds, 'FrameOfReferenceUID'),
    referencedSeriesInstanceUid: referenced === undefined ? null : getText(referenced, 'SeriesInstanceUID'),
    rows,
    columns,
    segments: segmentsOf(ds),
    frames: framesOf(ds, count),
    bits,
  };
}

/** The SEG's segments, frames and references (no pixels); errors as decodeSeg. */
export function readSeg(bytes: Uint8Array): SegInfo {
  const { bits: _bits, ...info } = decodeSeg(bytes);
  return info;
}
