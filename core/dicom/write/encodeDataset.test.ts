// The DICOM encoder against its decoder and against dicom3tools' dcdump: every VR voxlab writes, nested
// sequences of defined and undefined length, Explicit and Implicit VR, even-length padding, the File
// Meta group length, and refusals in words.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  getBinaryNumbers,
  getDecimals,
  getItems,
  getTags,
  getText,
  getTexts,
  getUint16,
} from './accessors.js';
import type { Dataset } from './dataset.js';
import { parsePart10 } from './decodeDataset.js';
import { tagOf } from './dictionary.js';
import { encodeDataset } from './encodeDataset.js';
import { formatDs } from './numberStrings.js';
import { newUid } from './uid.js';
import { writePart10 } from './writePart10.js';

const temp = mkdtempSync(path.join(os.tmpdir(), 'voxlab-dicom-write-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** A dataset with every kind of value the SEG writer uses, three sequence levels deep. */
const SAMPLE: Dataset = {
  SpecificCharacterSet: 'ISO_IR 192',
  ImageType: ['DERIVED', 'PRIMARY'],
  SOPClassUID: '1.2.840.10008.5.1.4.1.1.66.4',
  SOPInstanceUID: '1.2.3.4.5', // odd length: padded with NUL
  Modality: 'SEG', // odd length: padded with a space
  PatientName: 'Müller^Zoë', // UTF-8, 12 bytes
  PatientID: null, // Type 2: present, empty
  ImagePositionPatient: [-157.845805122881, 0.1, 1e-9],
  InstanceNumber: 7,
  Rows: 256,
  BitsAllocated: 8,
  RecommendedDisplayCIELabValue: [0, 32896, 65535],
  DimensionIndexValues: [1, 4294967295],
  DimensionIndexPointer: [tagOf('ImagePositionPatient')],
  SegmentDescription: 'free text with \\ a backslash, allowed in ST',
  ReferencedSeriesSequence: [
    {
      SeriesInstanceUID: '1.2.3',
      ReferencedInstanceSequence: [
        {
          ReferencedSOPClassUID: '1.2.840.10008.5.1.4.1.1.4',
          ReferencedSOPInstanceUID: '1.2.3.1',
          PurposeOfReferenceCodeSequence: [
            { CodeValue: '121322', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Source image' },
          ],
        },
        { ReferencedSOPClassUID: '1.2.840.10008.5.1.4.1.1.4', ReferencedSOPInstanceUID: '1.2.3.2' },
      ],
    },
  ],
  SegmentSequence: [], // an empty sequence
  PixelData: new Uint8Array([1, 2, 3]), // odd length: padded with NUL
};

function checkSample(bytes: Uint8Array): void {
  const { dataset: ds, meta } = parsePart10(bytes);
  expect(getText(meta, 'MediaStorageSOPInstanceUID')).toBe('1.2.3.4.5');
  expect(getTexts(ds, 'ImageType')).toEqual(['DERIVED', 'PRIMARY']);
  expect(getText(ds, 'SOPInstanceUID')).toBe('1.2.3.4.5');
  expect(getText(ds, 'Modality')).toBe('SEG');
  expect(getText(ds, 'PatientName')).toBe('Müller^Zoë');
  expect(ds.elements.has(tagOf('PatientID'))).toBe(true);
  expect(getText(ds, 'PatientID')).toBeNull();
  expect(getDecimals(ds, 'ImagePositionPatient')).toEqual([-157.84580512288, 0.1, 1e-9]);
  expect(getDecimals(ds, 'InstanceNumber')).toEqual([7]);
  expect(getUint16(ds, 'Rows')).toBe(256);
  expect(getBinaryNumbers(ds, 'RecommendedDisplayCIELabValue', 'uint16')).toEqual([0, 32896, 65535]);
  expect(getBinaryNumbers(ds, 'DimensionIndexValues', 'uint32')).toEqual([1, 4294967295]);
  expect(getTags(ds, 'DimensionIndexPointer')).toEqual([0x00200032]);
  expect(getText(ds, 'SegmentDescription')).toBe('free text with \\ a backslash, allowed in ST');
  const series = getItems(ds, 'ReferencedSeriesSequence');
  expect(series).toHaveLength(1);
  const instances = getItems(series[0]!, 'ReferencedInstanceSequence');
  expect(instances.map((i) => getText(i, 'ReferencedSOPInstanceUID'))).toEqual(['1.2.3.1', '1.2.3.2']);
  expect(getText(getItems(instances[0]!, 'PurposeOfReferenceCodeSequence')[0]!, 'CodeMeaning')).toBe(
    'Source image',
  );
  expect(getItems(ds, 'SegmentSequence')).toEqual([]);
  expect([...ds.elements.get(tagOf('PixelData'))!.value]).toEqual([1, 2, 3, 0]);
}

describe('encodeDataset / writePart10 round trip', () => {
  it.each([
    ['explicit VR, defined lengths', {}],
    ['explicit VR, undefined lengths', { sequenceLength: 'undefined' }],
    ['implicit VR, defined lengths', { vrEncoding: 'implicit' }],
    ['implicit VR, undefined lengths', { vrEncoding: 'implicit', sequenceLength: 'undefined' }],
  ] as const)('%s reads back every value', (_name, options) => {
    checkSample(writePart10(SAMPLE, options));
  });

  it('writes the preamble, DICM, and a File Meta group length that counts the rest of group 0002', () => {
    const bytes = writePart10(SAMPLE);
    expect(bytes.subarray(0, 128).every((b) => b === 0)).toBe(true);
    expect(new TextDecoder().decode(bytes.subarray(128, 132))).toBe('DICM');
    const view = new DataView(bytes.buffer);
    expect(view.getUint16(132, true)).toBe(0x0002);
    expect(view.getUint16(134, true)).toBe(0x0000);
    const groupLength = view.getUint32(140, true);
    const afterMeta = 144 + groupLength;
    expect(view.getUint16(afterMeta, true)).toBe(0x0008); // the dataset starts right after group 0002
    // Step over the meta elements (Explicit VR: OB has a 4-byte length, the others 2): they end exactly there.
    let at = 144;
    while (at < afterMeta) {
      expect(view.getUint16(at, true)).toBe(0x0002);
      const vr = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!);
      at += vr === 'OB' ? 12 + view.getUint32(at + 8, true) : 8 + view.getUint16(at + 6, true);
    }
    expect(at).toBe(afterMeta);
  });

  it('pads odd values: UI with NUL, text with a space, bytes with NUL; every element has an even length', () => {
    const bytes = encodeDataset({ SOPInstanceUID: '1.23', Modality: 'SEG', PixelData: new Uint8Array([9]) });
    // (0008,0018) UI len 4 "1.23" → even already; Modality CS "SEG" → "SEG ", PixelData OB → [9, 0]
    const text = new TextDecoder('latin1').decode(bytes);
    expect(text).toContain('SEG ');
    const odd = encodeDataset({ SOPInstanceUID: '1.2.3' });
    expect([...odd.subarray(8)]).toEqual([...new TextEncoder().encode('1.2.3'), 0]);
    expect(odd.length % 2).toBe(0);
    expect(bytes.length % 2).toBe(0);
  });

  it('writes attributes in ascending tag order, whatever the key order', () => {
    const bytes = encodeDataset({ Rows: 2, PatientID: 'x', Modality: 'MR' });
    const view = new DataView(bytes.buffer);
    const groups = [view.getUint16(0, true), view.getUint16(10, true), view.getUint16(20, true)];
    expect(groups).toEqual([0x0008, 0x0010, 0x0028]);
  });
});

describe('dcdump (dicom3tools) reads what voxlab writes', () => {
  it.each(['defined', 'undefined'] as const)('sequences of %s length', (sequenceLength) => {
    const file = path.join(temp, `sample-${sequenceLength}.dcm`);
    writeFileSync(file, writePart10(SAMPLE, { sequenceLength }));
    const run = spawnSync('dcdump', [file], { encoding: 'utf8' });
    const output = `${run.stdout}${run.stderr}`;
    expect(run.status, output).toBe(0);
    expect(output).not.toMatch(/^Error/m);
    expect(output).toContain('<1.2.3.2>');
    expect(output).toContain('<121322>');
    expect(output).toMatch(/Recommended Display CIELab Value.*\[0x0000,0x8080,0xffff\]/);
    expect(output).toMatch(/Image Position \(Patient\).*<-157.84580512288\\0.1\\1e-9 ?>/);
  });
});

describe('refusals and number formats', () => {
  it.each([
    ['a LO longer than 64 characters', { SeriesDescription: 'x'.repeat(65) }, /longer than 64/],
    ['a backslash inside a multi-valued text VR', { PatientID: 'a\\b' }, /backslash/],
    ['a US out of range', { Rows: 70000 }, /not an integer in \[0, 65535\]/],
    ['a fraction in IS', { InstanceNumber: 1.5 }, /integer/],
    ['NaN in DS', { SliceThickness: NaN }, /finite/],
    ['text where a sequence belongs', { SegmentSequence: 'x' }, /sequence/],
    [
      'more than 65534 bytes in a 2-byte-length VR',
      { ImageType: Array.from({ length: 5000 }, () => 'ABCDEFGHIJKLMNOP') },
      /2-byte length/,
    ],
  ] as const)('BAD_ARGUMENT for %s', (_name, dataset, message) => {
    let error: unknown;
    try {
      encodeDataset(dataset as Dataset);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'BAD_ARGUMENT', message });
  });

  it('writePart10 needs the SOP Class and Instance UIDs', () => {
    expect(() => writePart10({ Modality: 'SEG' })).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
  });

  it.each([
    [0, '0'],
    [-0, '0'],
    [1, '1'],
    [-157.845805122881, '-157.84580512288'],
    [0.09931978901457, '0.09931978901457'],
    [9.0584602e-9, '9.0584602e-9'],
    [123456789012345680000, '1.2345678901e+20'],
    [1 / 3, '0.33333333333333'],
  ])('formatDs(%d) = %s', (x, s) => {
    expect(formatDs(x)).toBe(s);
  });

  it('formatDs keeps at most 16 characters and at least 9 significant digits for any double', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 5000; i++) {
      const x = (next() - 0.5) * 10 ** Math.floor(next() * 40 - 20);
      const s = formatDs(x);
      expect(s.length).toBeLessThanOrEqual(16);
      expect(Math.abs(Number(s) - x)).toBeLessThanOrEqual(Math.abs(x) * 5e-9);
    }
  });

  it('newUid gives distinct 2.25 UIDs within 64 characters, without leading zeros', () => {
    const uids = Array.from({ length: 200 }, newUid);
    expect(new Set(uids).size).toBe(200);
    for (const uid of uids) {
      expect(uid).toMatch(/^2\.25\.(0|[1-9]\d*)$/);
      expect(uid.length).toBeLessThanOrEqual(64);
    }
  });
});
