// Synthetic single-frame MR series for tests and memory benchmarks: valid DICOM files (MR Image Storage,
// Explicit VR Little Endian, uint16 pixels) with consistent positions, orientation, spacing and UIDs,
// written with voxlab's own encoder. Content: a bright ellipsoid (1000) on a dim background (100) plus
// seeded noise, so converted volumes can be checked by value.

import { VoxlabError } from '../../common/errors.js';
import { SeededRandom } from '../../common/random.js';
import type { Dataset } from '../write/dataset.js';
import { uidFromHex } from '../write/uid.js';
import { writePart10 } from '../write/writePart10.js';

export interface SyntheticSeriesOptions {
  /** Number of slices (one file each). */
  readonly slices: number;
  /** Image size in pixels. */
  readonly rows: number;
  readonly columns: number;
  /** Seeds the UIDs and the noise: the same seed gives the same files (default 1). */
  readonly seed?: number;
  /** Image Orientation (Patient), LPS unit row then column direction (default axial: 1 0 0 0 1 0). */
  readonly orientation?: readonly [number, number, number, number, number, number];
  /** [between rows, between columns] in mm (default [1, 1]). */
  readonly pixelSpacing?: readonly [number, number];
  /** Distance between slices along the normal (row × column), mm (default 1.5). */
  readonly sliceSpacing?: number;
  /** Image Position (Patient) of slice 0, LPS mm (default centres the volume on the origin, roughly). */
  readonly origin?: readonly [number, number, number];
}

/** MR Image Storage (PS3.4 B.5). */
const MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4';

function checkOptions(o: SyntheticSeriesOptions): void {
  for (const k of ['slices', 'rows', 'columns'] as const)
    if (!Number.isInteger(o[k]) || o[k] < 1 || o[k] > 0xffff)
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `syntheticSeries: ${k} must be a whole number in 1..65535, got ${o[k]}`,
      );
}

/** A UID from 128 seeded random bits (2.25 root), so a seed reproduces the series. */
function seededUid(rng: SeededRandom): string {
  const hex = Array.from({ length: 4 }, () =>
    Math.floor(rng.next() * 2 ** 32)
      .toString(16)
      .padStart(8, '0'),
  ).join('');
  return uidFromHex(hex);
}

/**
 * `slices` DICOM Part 10 files of one MR series (slice k at origin + k · sliceSpacing · normal), as
 * bytes. Pixels: uint16, row by row (column index fastest).
 */
export function syntheticSeries(options: SyntheticSeriesOptions): Uint8Array[] {
  checkOptions(options);
  const { slices, rows, columns } = options;
  const rng = new SeededRandom(options.seed ?? 1);
  const o = options.orientation ?? [1, 0, 0, 0, 1, 0];
  const [dr, dc] = options.pixelSpacing ?? [1, 1];
  const ds = options.sliceSpacing ?? 1.5;
  const normal = [o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]];
  const origin =
    options.origin ??
    [0, 1, 2].map((i) => -(o[i]! * dc * columns + o[3 + i]! * dr * rows + normal[i]! * ds * slices) / 2);
  const [study, series, frame] = [seededUid(rng), seededUid(rng), seededUid(rng)];
  const common: Dataset = {
    SpecificCharacterSet: 'ISO_IR 192',
    ImageType: ['ORIGINAL', 'PRIMARY', 'OTHER'],
    SOPClassUID: MR_IMAGE_STORAGE,
    StudyDate: '20240101',
    StudyTime: '120000',
    AccessionNumber: null,
    Modality: 'MR',
    Manufacturer: 'voxlab',
    ReferringPhysicianName: null,
    StudyDescription: 'Synthetic phantom',
    SeriesDescription: `synthetic ${rows}x${columns}x${slices}`,
    PatientName: 'Synthetic^Phantom',
    PatientID: `SYNTH-${options.seed ?? 1}`,
    PatientBirthDate: null,
    PatientSex: 'O',
    BodyPartExamined: 'HEAD',
    ScanningSequence: 'RM',
    SequenceVariant: 'NONE',
    ScanOptions: null,
    MRAcquisitionType: '2D',
    SliceThickness: ds,
    RepetitionTime: 2000,
    EchoTime: 30,
    EchoTrainLength: 1,
    SpacingBetweenSlices: ds,
    PatientPosition: 'HFS',
    StudyInstanceUID: study,
    SeriesInstanceUID: series,
    StudyID: '1',
    SeriesNumber: 1,
    FrameOfReferenceUID: frame,
    PositionReferenceIndicator: null,
    ImageOrientationPatient: [...o],
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: rows,
    Columns: columns,
    PixelSpacing: [dr, dc],
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: 0,
  };
  const files: Uint8Array[] = [];
  for (let k = 0; k < slices; k++) {
    files.push(
      writePart10({
        ...common,
        SOPInstanceUID: seededUid(rng),
        AcquisitionNumber: 1,
        InstanceNumber: k + 1,
        ImagePositionPatient: [0, 1, 2].map((i) => origin[i]! + normal[i]! * ds * k),
        PixelData: { vr: 'OW', value: slicePixels(rows, columns, slices, k, rng) },
      }),
    );
  }
  return files;
}

/** One slice's pixels (uint16 little endian): ellipsoid 1000, background 100, noise 0..49. */
function slicePixels(
  rows: number,
  columns: number,
  slices: number,
  k: number,
  rng: SeededRandom,
): Uint8Array {
  const pixels = new Uint16Array(rows * columns);
  const z = (k + 0.5) / slices - 0.5;
  for (let r = 0; r < rows; r++) {
    const y = (r + 0.5) / rows - 0.5;
    for (let c = 0; c < columns; c++) {
      const x = (c + 0.5) / columns - 0.5;
      const inside = (x / 0.35) ** 2 + (y / 0.3) ** 2 + (z / 0.4) ** 2 <= 1;
      pixels[r * columns + c] = (inside ? 1000 : 100) + Math.floor(rng.next() * 50);
    }
  }
  return new Uint8Array(pixels.buffer);
}
