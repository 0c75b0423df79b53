// Issue #11 "Out": a labelmap painted on the MPRAGE (a sagittal 3D acquisition, which dcm2niix turns so
// that i runs left-right and flips its rows) exported as DICOM SEG: dciodvfy finds no error, it reads back
// voxel for voxel, and every frame lies on the source image it references, pixel for pixel. Converted by
// the WASM dcm2niix voxlab imports with and by Debian's dcm2niix. Then the refusals, on a small series.

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readInstanceRef, type SeriesRefs } from '../refs.js';
import { paintBox, paintSphere } from '../testing/paint.js';
import { segReport, type SegReport } from '../testing/segReport.js';
import {
  loadSeries,
  readFolder,
  type ConvertedVolume,
  type Converter,
  type SourceSeries,
} from '../testing/sourceSeries.js';
import { syntheticSeries } from '../testing/syntheticSeries.js';
import { getText } from '../write/accessors.js';
import { parsePart10 } from '../write/decodeDataset.js';
import { decodeSeg } from './readSeg.js';
import { segToLabelmap } from './segToLabelmap.js';
import { writeSeg, type SegInput, type SegOutput } from './writeSeg.js';
import { SHARED_DICOM } from '../../dicomweb/testing/data.js';

const MPRAGE = path.join(SHARED_DICOM, 'trio_b17_t1_mprage');
const SEGMENTS = [
  { value: 1, label: 'Sphere', colour: '#ff0000' },
  { value: 2, label: 'Box', colour: '#00ff80' },
];

function twoShapes({ dims }: ConvertedVolume): Uint8Array {
  const labelmap = new Uint8Array(dims[0] * dims[1] * dims[2]);
  paintSphere(labelmap, dims, [88, 120, 140], 20, 1);
  paintBox(labelmap, dims, [40, 60, 80], [70, 100, 110], 2);
  return labelmap;
}

describe.each(['wasm', 'native'] as Converter[])(
  'writeSeg on the MPRAGE converted by the %s dcm2niix',
  (converter) => {
    let mprage: SourceSeries;
    let volume: ConvertedVolume;
    let labelmap: Uint8Array;
    let seg: SegOutput;
    let report: SegReport;
    beforeAll(async () => {
      mprage = await loadSeries(readFolder(MPRAGE), converter);
      volume = mprage.volumes[0]!;
      labelmap = twoShapes(volume);
      seg = writeSeg({
        labelmap,
        dims: volume.dims,
        affine: volume.affine,
        source: mprage.refs,
        segments: SEGMENTS,
        seriesDescription: 'Tumour',
        contentCreatorName: 'Doe^Jane',
        seriesNumber: 42,
      });
      report = segReport(seg.bytes, labelmap, volume, mprage.refs);
    }, 60_000);

    it('a sphere and a box: dciodvfy finds no error or warning, and the SEG reads back voxel for voxel', () => {
      expect(volume.dims).toEqual([176, 256, 256]);
      // dciodvfy prints only the IOD name ("Segmentation") for this SEG: no warning needs accepting.
      expect(report.validation.errors, report.validation.output).toEqual([]);
      expect(report.validation.warnings, report.validation.output).toEqual([]);
      expect(report.validation.output).toMatch(/^Segmentation/m);
      expect(report.differences).toBe(0);
      expect(seg.segments).toBe(2);
      // The sphere spans 41 slices, the box 31: one frame per (segment, slice).
      expect(report.info.frames).toHaveLength(41 + 31);
      expect(report.info.segments.map((s) => [s.number, s.label, s.colour])).toEqual([
        [1, 'Sphere', '#ff0000'],
        [2, 'Box', '#00ff80'],
      ]);
    });

    it('puts each frame on the source image it references: same position (≤ 1e-3 mm) and orientation', () => {
      expect(report.unknownReferences).toBe(0);
      expect(report.worstPositionMm).toBeLessThanOrEqual(1e-3);
      expect(report.worstOrientation).toBeLessThanOrEqual(1e-6);
      expect(report.info.referencedSeriesInstanceUid).toBe(mprage.refs.seriesInstanceUid);
      // Every position is another source image: 41 distinct images for the sphere's frames.
      const sphere = report.info.frames.filter((f) => f.segmentNumber === 1);
      expect(new Set(sphere.map((f) => f.referencedSopInstanceUid)).size).toBe(41);
    });

    it('copies the patient, study and frame of reference of the source, with new series and instance UIDs', () => {
      const ref = readInstanceRef(seg.bytes)!;
      const source = mprage.instances[0]!;
      expect(ref.sopClassUid).toBe('1.2.840.10008.5.1.4.1.1.66.4');
      expect([ref.sopInstanceUid, ref.seriesInstanceUid]).toEqual([
        seg.sopInstanceUid,
        seg.seriesInstanceUid,
      ]);
      expect(seg.seriesInstanceUid).toMatch(/^2\.25\.\d+$/);
      expect(seg.seriesInstanceUid).not.toBe(mprage.refs.seriesInstanceUid);
      expect([ref.studyInstanceUid, ref.frameOfReferenceUid]).toEqual([
        source.studyInstanceUid,
        source.frameOfReferenceUid,
      ]);
      expect(ref.patient).toEqual(source.patient);
      expect(ref.study).toEqual(source.study);
      expect(ref.seriesNumber).toBe(42);
      const { dataset } = parsePart10(seg.bytes);
      expect([
        getText(dataset, 'SeriesDescription'),
        getText(dataset, 'ContentCreatorName'),
        getText(dataset, 'Manufacturer'),
      ]).toEqual(['Tumour', 'Doe^Jane', 'voxlab']);
    });

    it('holds the source pixels: a threshold of the NIfTI, exported, equals the same threshold of each referenced DICOM image', () => {
      const threshold = 60;
      const labelmap = new Uint8Array(volume.data.length);
      for (let i = 0; i < labelmap.length; i++) labelmap[i] = volume.data[i]! > threshold ? 1 : 0;
      const seg = writeSeg({
        labelmap,
        dims: volume.dims,
        affine: volume.affine,
        source: mprage.refs,
        segments: [SEGMENTS[0]!],
      });
      const decoded = decodeSeg(seg.bytes);
      const pixels = new Map(
        readFolder(MPRAGE).map(({ bytes }) => {
          const value = parsePart10(bytes).dataset.elements.get(0x7fe00010)!.value.slice(); // copied: 2-byte aligned
          return [readInstanceRef(bytes)!.sopInstanceUid, new Uint16Array(value.buffer, 0, value.length / 2)];
        }),
      );
      const perFrame = decoded.rows * decoded.columns;
      expect(decoded.frames.length).toBeGreaterThan(150);
      let mismatches = 0;
      decoded.frames.forEach((frame, f) => {
        const source = pixels.get(frame.referencedSopInstanceUid!)!;
        expect(source).toHaveLength(perFrame);
        for (let p = 0; p < perFrame; p++) {
          const bit = f * perFrame + p;
          if (((decoded.bits[bit >>> 3]! >> (bit & 7)) & 1) !== (source[p]! > threshold ? 1 : 0))
            mismatches++;
        }
      });
      expect(mismatches).toBe(0);
    });
  },
);

describe('writeSeg refusals, in words', () => {
  let small: SourceSeries;
  let input: SegInput;
  beforeAll(async () => {
    const files = syntheticSeries({ slices: 6, rows: 12, columns: 10, seed: 3 }).map((bytes, i) => ({
      name: `${i}.dcm`,
      bytes,
    }));
    small = await loadSeries(files, 'native');
    const { dims, affine } = small.volumes[0]!;
    const labelmap = new Uint8Array(dims[0] * dims[1] * dims[2]);
    paintBox(labelmap, dims, [2, 2, 1], [5, 6, 3], 4);
    input = {
      labelmap,
      dims,
      affine,
      source: small.refs,
      segments: [{ value: 4, label: 'Lesion', colour: '#ffff00' }],
    };
  });

  const withoutPositions = (refs: SeriesRefs): SeriesRefs => ({
    ...refs,
    instances: refs.instances.map((i) => ({ ...i, position: null })),
  });
  it.each([
    [
      'an empty labelmap',
      () => ({ labelmap: new Uint8Array(input.labelmap.length) }),
      'BAD_ARGUMENT',
      /empty/,
    ],
    [
      'a labelmap of the wrong size',
      () => ({ labelmap: new Uint8Array(input.labelmap.length - 1) }),
      'SHAPE_MISMATCH',
      /has 719 voxels but dims 10x12x6 need 720/,
    ],
    [
      'a source without positions',
      () => ({ source: withoutPositions(input.source) }),
      'BAD_ARGUMENT',
      /no source image has a position/,
    ],
    [
      'a value no segment describes',
      () => ({ segments: [{ value: 5, label: 'Other', colour: '#000000' }] }),
      'BAD_ARGUMENT',
      /holds value 4 but no segment describes it/,
    ],
    [
      'a colour that is not #rrggbb',
      () => ({ segments: [{ value: 4, label: 'Lesion', colour: 'red' }] }),
      'BAD_ARGUMENT',
      /'#rrggbb'/,
    ],
    [
      'a grid turned 30° (resampled)',
      () => ({ affine: rotatedZ(input.affine, Math.PI / 6) }),
      'SHAPE_MISMATCH',
      /do not run along the source images' rows and columns/,
    ],
    [
      'a grid moved off the source slices',
      () => ({ affine: input.affine.map((v, i) => (i === 11 ? v + 20 : v)) }),
      'SHAPE_MISMATCH',
      /lies on no image of the source series/,
    ],
    [
      'dims that are not whole numbers',
      () => ({ dims: [10, 12, 6.5] as unknown as [number, number, number] }),
      'BAD_ARGUMENT',
      /dims/,
    ],
  ] as const)('%s', (_name, change, code, message) => {
    expect(() => writeSeg({ ...input, ...change() })).toThrow(
      expect.objectContaining({ code, message: expect.stringMatching(message) }),
    );
  });

  it('writes only the values present, numbered from 1, and reads them back through a value map', () => {
    const seg = writeSeg({
      ...input,
      segments: [{ value: 9, label: 'Absent', colour: '#0000ff' }, ...input.segments],
    });
    expect(seg.segments).toBe(1);
    const { dims, affine } = small.volumes[0]!;
    const back = segToLabelmap(seg.bytes, dims, affine, { values: new Map([[1, 4]]) });
    expect(back).toEqual(input.labelmap);
  });
});

/** `affine` turned by `angle` about the world z axis (a resampled grid no longer along the source rows). */
function rotatedZ(affine: readonly number[], angle: number): number[] {
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  const out = [...affine];
  for (let col = 0; col < 4; col++) {
    const [x, y] = [affine[col]!, affine[4 + col]!];
    out[col] = c * x - s * y;
    out[4 + col] = s * x + c * y;
  }
  return out;
}
