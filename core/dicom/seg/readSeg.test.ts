// Reading SEGs back: colours through CIELab, and refusals in words for what is not a SEG, is damaged, or
// does not fit the target grid.

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isVoxlabError } from '../../common/errors.js';
import { SeededRandom } from '../../common/random.js';
import { paintBox } from '../testing/paint.js';
import { loadSeries, readFolder, type SourceSeries } from '../testing/sourceSeries.js';
import { syntheticSeries } from '../testing/syntheticSeries.js';
import { dicomLabToHex, hexToDicomLab } from './cielab.js';
import { readSeg } from './readSeg.js';
import { segToLabelmap } from './segToLabelmap.js';
import { writeSeg } from './writeSeg.js';
import { SHARED_DICOM } from '../../dicomweb/testing/data.js';

describe('CIELab colours (PS3.3 C.10.7.1.1)', () => {
  it.each([
    ['#ffffff', [65535, 32896, 32896]],
    ['#000000', [0, 32896, 32896]],
    ['#808080', [35117, 32896, 32896]],
  ])('%s is %j', (hex, lab) => {
    hexToDicomLab(hex).forEach((v, i) => expect(Math.abs(v - lab[i]!)).toBeLessThanOrEqual(1));
  });

  it('round-trips every colour of a 16-level RGB cube', () => {
    const levels = Array.from({ length: 16 }, (_, i) => (i * 17).toString(16).padStart(2, '0'));
    for (const r of levels)
      for (const g of levels)
        for (const b of levels) expect(dicomLabToHex(hexToDicomLab(`#${r}${g}${b}`))).toBe(`#${r}${g}${b}`);
  });
});

describe('readSeg and segToLabelmap refusals', () => {
  let series: SourceSeries;
  let seg: Uint8Array;
  let labelmap: Uint8Array;
  beforeAll(async () => {
    const files = syntheticSeries({
      slices: 5,
      rows: 16,
      columns: 12,
      seed: 5,
      orientation: [0, 1, 0, 0, 0, -1],
    }).map((bytes, i) => ({ name: `${i}.dcm`, bytes }));
    series = await loadSeries(files, 'native');
    const { dims, affine } = series.volumes[0]!;
    labelmap = new Uint8Array(dims[0] * dims[1] * dims[2]);
    paintBox(labelmap, dims, [1, 2, 1], [6, 9, 3], 1);
    paintBox(labelmap, dims, [7, 2, 2], [10, 4, 4], 2);
    seg = writeSeg({
      labelmap,
      dims,
      affine,
      source: series.refs,
      segments: [
        { value: 1, label: 'One', colour: '#102030' },
        { value: 2, label: 'Two', colour: '#a0b0c0' },
      ],
    }).bytes;
  });

  it('reads segments, frames and references', () => {
    const info = readSeg(seg);
    expect(info.segments.map((s) => [s.number, s.label, s.colour, s.category?.meaning])).toEqual([
      [1, 'One', '#102030', 'Tissue'],
      [2, 'Two', '#a0b0c0', 'Tissue'],
    ]);
    expect(info.referencedSeriesInstanceUid).toBe(series.refs.seriesInstanceUid);
    expect(
      info.frames.every((f) =>
        series.refs.instances.some((i) => i.sopInstanceUid === f.referencedSopInstanceUid),
      ),
    ).toBe(true);
    expect([info.rows, info.columns]).toEqual([16, 12]);
  });

  it.each([
    ['bytes that are not DICOM', () => new Uint8Array(1000), /not a readable DICOM file/],
    [
      'an MR image',
      () =>
        readFolder(
          path.join(SHARED_DICOM, 'tcia_vs_seg_001_t1_mpr_tra_3slices'),
        )[0]!.bytes,
      /not a DICOM Segmentation \(SOP Class 1\.2\.840\.10008\.5\.1\.4\.1\.1\.4,/,
    ],
    ['a SEG cut short', () => seg.subarray(0, seg.length - 40), /not a readable DICOM file|pixel data holds/],
  ])('NOT_A_VOLUME for %s', (_name, bytes, message) => {
    expect(() => readSeg(bytes())).toThrow(
      expect.objectContaining({ code: 'NOT_A_VOLUME', message: expect.stringMatching(message) }),
    );
  });

  it('ends every one of 400 damaged SEGs in a VoxlabError or a result, quickly', () => {
    const rng = new SeededRandom(4);
    const { dims, affine } = series.volumes[0]!;
    const start = performance.now();
    let refused = 0;
    for (let i = 0; i < 400; i++) {
      const bytes = seg.slice(
        0,
        rng.next() < 0.3 ? 132 + Math.floor(rng.next() * (seg.length - 132)) : seg.length,
      );
      for (let k = 0; k < 1 + Math.floor(rng.next() * 8); k++)
        bytes[132 + Math.floor(rng.next() * (bytes.length - 132))] = Math.floor(rng.next() * 256);
      try {
        segToLabelmap(bytes, dims, affine);
      } catch (e) {
        expect(isVoxlabError(e), String(e)).toBe(true);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(50);
    expect(performance.now() - start).toBeLessThan(5000);
  });

  it.each([
    [
      'a grid shifted by half a voxel',
      (a: number[]) => a.map((v, i) => (i === 3 ? v + 0.5 * Math.hypot(a[0]!, a[4]!, a[8]!) : v)),
      /does not lie on the target grid/,
    ],
    [
      'a grid of twice the voxel size',
      (a: number[]) => a.map((v, i) => (i % 4 < 3 && i < 12 ? v * 2 : v)),
      /does not lie on the target grid|do not step one voxel/,
    ],
  ])('SHAPE_MISMATCH for %s', (_name, change, message) => {
    const { dims, affine } = series.volumes[0]!;
    expect(() => segToLabelmap(seg, dims, change(affine))).toThrow(
      expect.objectContaining({ code: 'SHAPE_MISMATCH', message: expect.stringMatching(message) }),
    );
  });

  it('SHAPE_MISMATCH when painted pixels fall outside a smaller grid; BAD_ARGUMENT for a segment without a value', () => {
    const { dims, affine } = series.volumes[0]!;
    expect(() => segToLabelmap(seg, [dims[0], dims[1], 2], affine)).toThrow(
      expect.objectContaining({ code: 'SHAPE_MISMATCH', message: expect.stringMatching(/outside the/) }),
    );
    expect(() => segToLabelmap(seg, dims, affine, { values: new Map([[1, 7]]) })).toThrow(
      expect.objectContaining({
        code: 'BAD_ARGUMENT',
        message: expect.stringMatching(/segment 2 has no labelmap value/),
      }),
    );
    expect(
      segToLabelmap(seg, dims, affine, {
        values: new Map([
          [1, 7],
          [2, 9],
        ]),
      }).filter((v) => v === 9).length,
    ).toBe(labelmap.filter((v) => v === 2).length);
  });
});
