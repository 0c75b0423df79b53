// Source instance references of a DICOM series: what a derived object (a DICOM SEG) must point back to
// and copy. readInstanceRef reads one file's header (never its pixels); seriesRefs gathers one series into
// a JSON-safe object kept with the converted image (issue #11: "SEG referencing the source series").
// Positions and orientations are DICOM patient coordinates: LPS+ millimetres (PS3.3 C.7.6.2.1.1).

import { isVoxlabError, VoxlabError } from '../common/errors.js';
import { getDecimal, getDecimals, getItems, getText, getTexts, getUint16 } from './write/accessors.js';
import { parsePart10, type ParsedDataset } from './write/decodeDataset.js';
import { tagOf } from './write/dictionary.js';

/** A point in DICOM patient coordinates, LPS+ mm. */
export type Lps = readonly [number, number, number];
/** Image Orientation (Patient): row direction then column direction, unit vectors in LPS+. */
export type Orientation = readonly [number, number, number, number, number, number];

/** Patient Module attributes a derived object copies (PS3.3 C.7.1.1); '' when absent or empty. */
export interface PatientAttributes {
  readonly name: string;
  readonly id: string;
  readonly birthDate: string;
  readonly sex: string;
}

/** General Study Module attributes a derived object copies (PS3.3 C.7.2.1); '' when absent or empty. */
export interface StudyAttributes {
  readonly date: string;
  readonly time: string;
  readonly id: string;
  readonly accessionNumber: string;
  readonly referringPhysicianName: string;
  readonly description: string;
}

/** Geometry of one frame of an enhanced multi-frame image (Plane Position / Orientation functional groups). */
export interface FrameGeometry {
  readonly position: Lps | null;
  readonly orientation: Orientation | null;
}

/** What one file's header says about the instance it holds. */
export interface InstanceRef {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly seriesNumber: number | null;
  readonly frameOfReferenceUid: string | null;
  /** Top-level Image Position (Patient), LPS mm; null when absent (enhanced multi-frame: see frames). */
  readonly imagePositionPatient: Lps | null;
  readonly imageOrientationPatient: Orientation | null;
  readonly instanceNumber: number | null;
  /** Number of Frames; 1 when absent (single-frame images). */
  readonly numberOfFrames: number;
  readonly rows: number | null;
  readonly columns: number | null;
  /** Per-frame geometry of an image with Per-Frame Functional Groups (enhanced MR/CT), else null. */
  readonly frames: readonly FrameGeometry[] | null;
  /** A Siemens mosaic (Image Type holds MOSAIC): many slices tiled in one image, its position that of the tile grid. */
  readonly mosaic: boolean;
  readonly patient: PatientAttributes;
  readonly study: StudyAttributes;
}

/** One referencable image: a single-frame instance, or one frame (1-based frameNumber) of a multi-frame one. */
export interface SourceImage {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly frameNumber: number | null;
  readonly position: Lps | null;
  readonly orientation: Orientation | null;
}

/** One series' references: JSON-safe (strings, numbers, arrays, null), stored with the converted image. */
export interface SeriesRefs {
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly seriesNumber: number | null;
  readonly frameOfReferenceUid: string | null;
  readonly patient: PatientAttributes;
  readonly study: StudyAttributes;
  /** Ordered by Instance Number, then frame number. */
  readonly instances: readonly SourceImage[];
}

const PIXEL_DATA = 0x7fe00010;

function triple(values: number[] | null): Lps | null {
  return values !== null && values.length >= 3 ? [values[0]!, values[1]!, values[2]!] : null;
}

function sextuple(values: number[] | null): Orientation | null {
  return values !== null && values.length >= 6
    ? [values[0]!, values[1]!, values[2]!, values[3]!, values[4]!, values[5]!]
    : null;
}

/** Plane position / orientation of one functional-groups item (per-frame or shared). */
function planeOf(group: ParsedDataset | undefined): FrameGeometry {
  if (group === undefined) return { position: null, orientation: null };
  const pos = getItems(group, 'PlanePositionSequence')[0];
  const ori = getItems(group, 'PlaneOrientationSequence')[0];
  return {
    position: pos === undefined ? null : triple(getDecimals(pos, 'ImagePositionPatient')),
    orientation: ori === undefined ? null : sextuple(getDecimals(ori, 'ImageOrientationPatient')),
  };
}

function framesOf(ds: ParsedDataset): FrameGeometry[] | null {
  const perFrame = getItems(ds, 'PerFrameFunctionalGroupsSequence');
  if (perFrame.length === 0) return null;
  const shared = planeOf(getItems(ds, 'SharedFunctionalGroupsSequence')[0]);
  return perFrame.map((item) => {
    const own = planeOf(item);
    return { position: own.position ?? shared.position, orientation: own.orientation ?? shared.orientation };
  });
}

/**
 * The references in one DICOM Part 10 file's header, read up to (never into) Pixel Data. Explicit and
 * Implicit VR Little Endian; null for anything else: not DICOM, damaged, Big Endian or Deflated, or
 * without the four UIDs that identify an image (SOP Class/Instance, Study, Series). Never throws on bad
 * bytes: a VoxlabError from the reader means "not usable", so it becomes null; any other error is a bug
 * and is thrown.
 */
export function readInstanceRef(bytes: Uint8Array): InstanceRef | null {
  let ds: ParsedDataset;
  try {
    ds = parsePart10(bytes, { stopAtTag: PIXEL_DATA }).dataset;
  } catch (e) {
    if (isVoxlabError(e)) return null;
    throw e;
  }
  const sopClassUid = getText(ds, 'SOPClassUID');
  const sopInstanceUid = getText(ds, 'SOPInstanceUID');
  const studyInstanceUid = getText(ds, 'StudyInstanceUID');
  const seriesInstanceUid = getText(ds, 'SeriesInstanceUID');
  if (
    sopClassUid === null ||
    sopInstanceUid === null ||
    studyInstanceUid === null ||
    seriesInstanceUid === null
  )
    return null;
  const text = (k: Parameters<typeof getText>[1]) => getText(ds, k) ?? '';
  const frames = ds.elements.has(tagOf('PerFrameFunctionalGroupsSequence')) ? framesOf(ds) : null;
  const sharedOrientation = planeOf(getItems(ds, 'SharedFunctionalGroupsSequence')[0]).orientation;
  return {
    sopClassUid,
    sopInstanceUid,
    studyInstanceUid,
    seriesInstanceUid,
    seriesNumber: getDecimal(ds, 'SeriesNumber'),
    frameOfReferenceUid: getText(ds, 'FrameOfReferenceUID'),
    imagePositionPatient: triple(getDecimals(ds, 'ImagePositionPatient')),
    imageOrientationPatient: sextuple(getDecimals(ds, 'ImageOrientationPatient')) ?? sharedOrientation,
    instanceNumber: getDecimal(ds, 'InstanceNumber'),
    numberOfFrames: getDecimal(ds, 'NumberOfFrames') ?? 1,
    rows: getUint16(ds, 'Rows'),
    columns: getUint16(ds, 'Columns'),
    frames,
    mosaic: getTexts(ds, 'ImageType').includes('MOSAIC'),
    patient: {
      name: text('PatientName'),
      id: text('PatientID'),
      birthDate: text('PatientBirthDate'),
      sex: text('PatientSex'),
    },
    study: {
      date: text('StudyDate'),
      time: text('StudyTime'),
      id: text('StudyID'),
      accessionNumber: text('AccessionNumber'),
      referringPhysicianName: text('ReferringPhysicianName'),
      description: text('StudyDescription'),
    },
  };
}

/**
 * The references of ONE series from its instances (callers group files by Series Instance UID; all the
 * instances dcm2niix converted, even when it split the series into several volumes: writeSeg matches
 * frames to instances by geometry). Single-frame instances give one SourceImage each; an enhanced
 * multi-frame instance gives one per frame (frameNumber 1..n). Mosaics and multi-frame images without
 * per-frame positions get position null: a SEG cannot be placed on them, and writeSeg says so. Patient and study attributes come from the
 * instance with the lowest Instance Number. BAD_ARGUMENT for no instances or instances of several series.
 */
export function seriesRefs(instances: readonly InstanceRef[]): SeriesRefs {
  if (!Array.isArray(instances) || instances.length === 0)
    throw new VoxlabError('BAD_ARGUMENT', 'seriesRefs: give the instances of one series (none given)');
  const series = new Set(instances.map((i) => i.seriesInstanceUid));
  if (series.size > 1)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `seriesRefs: the instances belong to ${series.size} series (${[...series].join(', ')}); group them by Series Instance UID first`,
    );
  const sorted = [...instances].sort(
    (a, b) => (a.instanceNumber ?? Infinity) - (b.instanceNumber ?? Infinity),
  );
  const seen = new Set<string>();
  const images: SourceImage[] = [];
  for (const inst of sorted) {
    if (seen.has(inst.sopInstanceUid)) continue; // the same file given twice
    seen.add(inst.sopInstanceUid);
    const base = { sopClassUid: inst.sopClassUid, sopInstanceUid: inst.sopInstanceUid };
    if (inst.frames !== null && inst.frames.length > 0) {
      inst.frames.forEach((f: FrameGeometry, i: number) =>
        images.push({
          ...base,
          frameNumber: i + 1,
          position: f.position,
          orientation: f.orientation ?? inst.imageOrientationPatient,
        }),
      );
    } else {
      // A multi-frame image without per-frame groups has no position per frame, and a mosaic tile no
      // position of its own: both are left unplaced (null), so no SEG frame can point at them.
      const position = inst.numberOfFrames > 1 || inst.mosaic ? null : inst.imagePositionPatient;
      images.push({ ...base, frameNumber: null, position, orientation: inst.imageOrientationPatient });
    }
  }
  const first = sorted[0]!;
  return {
    studyInstanceUid: first.studyInstanceUid,
    seriesInstanceUid: first.seriesInstanceUid,
    seriesNumber: first.seriesNumber,
    frameOfReferenceUid: sorted.find((i) => i.frameOfReferenceUid !== null)?.frameOfReferenceUid ?? null,
    patient: { ...first.patient },
    study: { ...first.study },
    instances: images,
  };
}
