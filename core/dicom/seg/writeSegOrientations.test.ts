// writeSeg's geometry beyond the MPRAGE: transverse (TCIA, Implicit VR), an enhanced multi-frame MR
// (frames referenced by number), an oblique field map whose two echoes dcm2niix stores with opposite
// slice directions, and synthetic coronal, sagittal, oblique and double-oblique series, each converted
// by the WASM and by Debian's dcm2niix; then the series a SEG cannot be placed on.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { paintBox, paintSphere } from '../testing/paint.js';
import { segReport } from '../testing/segReport.js';
import {
  loadSeries,
  readFolder,
  type ConvertedVolume,
  type Converter,
  type DicomInput,
} from '../testing/sourceSeries.js';
import { syntheticSeries, type SyntheticSeriesOptions } from '../testing/syntheticSeries.js';
import { writeSeg } from './writeSeg.js';

const DICOM = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'dicom');
const folder = (name: string) => () => readFolder(path.join(DICOM, name));
const synthetic = (options: Omit<SyntheticSeriesOptions, 'slices' | 'rows' | 'columns'>) => () =>
  syntheticSeries({
    slices: 14,
    rows: 40,
    columns: 32,
    pixelSpacing: [0.9, 1.1],
    sliceSpacing: 2,
    ...options,
  }).map((bytes, i) => ({ name: `${i}.dcm`, bytes }));

/**
 * dciodvfy warnings accepted, all about source attributes copied unchanged into the SEG (Patient and
 * Study modules must repeat the source's): an empty Study ID (Type 2, empty in the TCIA and enhanced
 * sources), and person names without '^' ("VS-SEG-001", "Luci"), which dciodvfy calls the retired form.
 */
const ACCEPTED_WARNINGS = [/needed to build DICOMDIR - Study ID$/, /Retired Person Name form$/];

/** A box and a sphere, placed relative to the volume's size so every case paints several slices. */
function paint({ dims }: ConvertedVolume): Uint8Array {
  const labelmap = new Uint8Array(dims[0] * dims[1] * dims[2]);
  const at = (f: number) => dims.map((d) => Math.floor(d * f)) as unknown as [number, number, number];
  paintBox(labelmap, dims, at(0.15), at(0.5), 1);
  paintSphere(labelmap, dims, at(0.65), Math.max(1, Math.min(...dims) * 0.2), 2);
  return labelmap;
}

const CASES: [string, () => DicomInput[], number][] = [
  ['transverse TCIA slices (Implicit VR)', folder('tcia_vs_seg_001_t1_mpr_tra_3slices'), 1],
  ['an enhanced multi-frame MR', folder('edge_single_files'), 1],
  ['an oblique field map, both echoes', folder('edge_trio_b17_gre_field_mapping_incomplete'), 4],
  ['a coronal series', synthetic({ orientation: [1, 0, 0, 0, 0, -1] }), 1],
  ['a sagittal series', synthetic({ orientation: [0, 1, 0, 0, 0, -1] }), 1],
  [
    'an oblique series (45° about z)',
    synthetic({ orientation: [Math.SQRT1_2, Math.SQRT1_2, 0, 0, 0, -1] }),
    1,
  ],
  ['a double-oblique series', synthetic({ orientation: [0.8, 0.36, 0.48, -0.6, 0.48, 0.64] }), 1],
];

describe.each(['wasm', 'native'] as Converter[])(
  'SEG geometry, converted by the %s dcm2niix',
  (converter) => {
    it.each(CASES)(
      '%s',
      async (_name, inputs, volumes) => {
        const series = await loadSeries(inputs(), converter);
        expect(series.volumes).toHaveLength(volumes);
        // The field map's equalised volumes (_Eq_1) hold slices dcm2niix interpolated, on no source image:
        // the refusal is tested below.
        for (const volume of series.volumes.filter((v) => !v.name.endsWith('_Eq_1'))) {
          const labelmap = paint(volume);
          const seg = writeSeg({
            labelmap,
            dims: volume.dims,
            affine: volume.affine,
            source: series.refs,
            segments: [
              { value: 1, label: 'Box', colour: '#3060ff' },
              { value: 2, label: 'Sphere', colour: '#ffa000' },
            ],
          });
          const report = segReport(seg.bytes, labelmap, volume, series.refs);
          expect(report.validation.errors, report.validation.output).toEqual([]);
          expect(
            report.validation.warnings.filter((w) => !ACCEPTED_WARNINGS.some((a) => a.test(w))),
            report.validation.output,
          ).toEqual([]);
          expect(report.differences, volume.name).toBe(0);
          expect(report.unknownReferences, volume.name).toBe(0);
          expect(report.worstPositionMm, volume.name).toBeLessThanOrEqual(1e-3);
          expect(report.worstOrientation, volume.name).toBeLessThanOrEqual(1e-4);
          expect(report.info.frames.length).toBeGreaterThan(1);
        }
      },
      30_000,
    );
  },
);

describe('series a SEG cannot be placed on', () => {
  it('enhanced frames are referenced by number', async () => {
    const series = await loadSeries(folder('edge_single_files')(), 'native');
    const volume = series.volumes[0]!;
    const seg = writeSeg({
      labelmap: new Uint8Array(volume.dims[0] * volume.dims[1] * volume.dims[2]).fill(1),
      dims: volume.dims,
      affine: volume.affine,
      source: series.refs,
      segments: [{ value: 1, label: 'All', colour: '#ffffff' }],
    });
    const frames = segReport(seg.bytes, new Uint8Array(0), volume, series.refs).info.frames;
    expect(frames.map((f) => f.referencedFrameNumber).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(frames.map((f) => f.referencedSopInstanceUid)).size).toBe(1);
  });

  it('refuses a Siemens mosaic (its images are tiles of many slices)', async () => {
    const series = await loadSeries(folder('edge_dcm_qa_sag_fmri_mosaic_SagAP')(), 'native');
    const volume = series.volumes[0]!;
    expect(() =>
      writeSeg({
        labelmap: paint(volume),
        dims: volume.dims,
        affine: volume.affine,
        source: series.refs,
        segments: [
          { value: 1, label: 'a', colour: '#ffffff' },
          { value: 2, label: 'b', colour: '#000000' },
        ],
      }),
    ).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT', message: expect.stringMatching(/mosaics/) }));
  });

  it('refuses a painted slice that dcm2niix interpolated (no source image lies there)', async () => {
    const series = await loadSeries(folder('edge_trio_b17_gre_field_mapping_incomplete')(), 'native');
    const volume = series.volumes.find((v) => v.name.endsWith('e1_Eq_1'))!;
    const labelmap = new Uint8Array(volume.dims[0] * volume.dims[1] * volume.dims[2]);
    paintBox(labelmap, volume.dims, [0, 0, 0], [63, 63, 31], 1);
    expect(() =>
      writeSeg({
        labelmap,
        dims: volume.dims,
        affine: volume.affine,
        source: series.refs,
        segments: [{ value: 1, label: 'a', colour: '#ffffff' }],
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'SHAPE_MISMATCH',
        message: expect.stringMatching(/lies on no image of the source series/),
      }),
    );
  });
});
