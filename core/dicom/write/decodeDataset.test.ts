// The DICOM reader on what other writers produce (an Implicit VR file from TCIA, undefined-length UN,
// Latin-1 text) and on damage: every failure is a BAD_ARGUMENT VoxlabError naming the reason, found fast,
// never a RangeError, a stack overflow or a hang.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isVoxlabError } from '../../common/errors.js';
import { getDecimals, getItems, getText, getUint16 } from './accessors.js';
import { parsePart10 } from './decodeDataset.js';
import { encodeDataset } from './encodeDataset.js';
import { writePart10 } from './writePart10.js';

const DICOM = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'dicom');
const TCIA = path.join(DICOM, 'tcia_vs_seg_001_t1_mpr_tra_3slices', '1-001.dcm');

const BASE = { SOPClassUID: '1.2.840.10008.5.1.4.1.1.4', SOPInstanceUID: '1.2.3' } as const;

/** The reason of the VoxlabError `run` throws (fails the test for any other outcome). */
function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (!isVoxlabError(e) || e.code !== 'BAD_ARGUMENT') throw e;
    return String(e.details?.reason);
  }
  throw new Error('expected a VoxlabError');
}

/** A Part 10 file around raw dataset bytes (Explicit VR Little Endian). */
function part10(dataset: Uint8Array): Uint8Array {
  const head = writePart10(BASE);
  const body = encodeDataset(BASE);
  const out = new Uint8Array(head.length - body.length + dataset.length);
  out.set(head.subarray(0, head.length - body.length));
  out.set(dataset, head.length - body.length);
  return out;
}

function u16(...values: number[]): number[] {
  return values.flatMap((v) => [v & 0xff, v >>> 8]);
}
function u32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
}

describe('reading what other writers produce', () => {
  it('reads an Implicit VR Little Endian file (TCIA) as dcmdump does', () => {
    const { dataset, transferSyntaxUid } = parsePart10(new Uint8Array(readFileSync(TCIA)));
    expect(transferSyntaxUid).toBe('1.2.840.10008.1.2');
    expect(getText(dataset, 'Modality')).toBe('MR');
    expect(getUint16(dataset, 'Rows')).toBe(512);
    expect(getDecimals(dataset, 'ImagePositionPatient')).toEqual([
      -106.32680907019, -123.07443807356, -92.000669002533,
    ]);
    expect(getDecimals(dataset, 'PixelSpacing')).toEqual([0.41015625, 0.41015625]);
    // Implicit VR sequences are found by their item tags (ReferencedImageSequence holds 3 items).
    expect(getItems(dataset, 0x00081140).length).toBeGreaterThan(0);
    expect(dataset.elements.get(0x7fe00010)!.value.length).toBe(512 * 512 * 2);
  });

  it('reads an undefined-length UN as a sequence in Implicit VR (PS3.5 6.2.2)', () => {
    const inner = encodeDataset({ SeriesInstanceUID: '1.2.3.4' }, { vrEncoding: 'implicit' });
    const un = [
      ...u16(0x0008, 0x1115),
      0x55,
      0x4e,
      0,
      0,
      ...u32(0xffffffff),
      ...u16(0xfffe, 0xe000),
      ...u32(0xffffffff),
      ...inner,
      ...u16(0xfffe, 0xe00d),
      ...u32(0),
      ...u16(0xfffe, 0xe0dd),
      ...u32(0),
    ];
    const { dataset } = parsePart10(part10(new Uint8Array([...encodeDataset(BASE), ...un])));
    expect(getText(getItems(dataset, 'ReferencedSeriesSequence')[0]!, 'SeriesInstanceUID')).toBe('1.2.3.4');
  });

  it.each([
    ['ISO_IR 100', [0x52, 0xe9, 0x6e, 0xe9, 0x5e, 0x5a], 'Réné^Z'],
    ['ISO_IR 192', [0x52, 0xc3, 0xa9, 0x6e, 0x5e, 0x5a], 'Rén^Z'],
    ['ISO_IR 144', [0xbc, 0xd0, 0xe0, 0xd8, 0xef, 0x5e], 'Мария^'],
  ])('decodes text in %s', (charset, nameBytes, name) => {
    const head = encodeDataset({ ...BASE, SpecificCharacterSet: charset });
    const pn = [...u16(0x0010, 0x0010), 0x50, 0x4e, ...u16(nameBytes.length), ...nameBytes];
    const { dataset } = parsePart10(part10(new Uint8Array([...head, ...pn])));
    expect(getText(dataset, 'PatientName')).toBe(name);
  });

  it('stops before Pixel Data when asked, and says so', () => {
    const bytes = writePart10({ ...BASE, Rows: 2, PixelData: new Uint8Array(8) });
    const head = parsePart10(bytes, { stopAtTag: 0x7fe00010 });
    expect(head.stopped).toBe(true);
    expect(head.dataset.elements.has(0x7fe00010)).toBe(false);
    expect(getUint16(head.dataset, 'Rows')).toBe(2);
    expect(parsePart10(bytes).stopped).toBe(false);
  });
});

describe('damage and unsupported encodings', () => {
  it("says 'not-dicom' without the DICM mark, and 'unsupported' for Big Endian", () => {
    expect(reasonOf(() => parsePart10(new Uint8Array(0)))).toBe('not-dicom');
    expect(reasonOf(() => parsePart10(new Uint8Array(400).fill(0x41)))).toBe('not-dicom');
    const big = writePart10(BASE);
    const text = new TextDecoder('latin1').decode(big);
    const at = text.indexOf('1.2.840.10008.1.2.1');
    big.set(new TextEncoder().encode('1.2.840.10008.1.2.2'), at);
    expect(reasonOf(() => parsePart10(big))).toBe('unsupported');
  });

  it('fails in words on a file cut anywhere inside its elements (a sample of cut points, all fast)', () => {
    const bytes = writePart10(
      {
        ...BASE,
        PatientName: 'Doe^Jane',
        ReferencedSeriesSequence: [
          { SeriesInstanceUID: '1.2', ReferencedInstanceSequence: [{ ReferencedSOPInstanceUID: '1.2.3.4' }] },
        ],
        PixelData: new Uint8Array(64),
      },
      { sequenceLength: 'undefined' },
    );
    const start = performance.now();
    let failures = 0;
    for (let cut = 133; cut < bytes.length; cut += 3) {
      try {
        parsePart10(bytes.subarray(0, cut));
      } catch (e) {
        expect(isVoxlabError(e), String(e)).toBe(true);
        failures++;
      }
    }
    expect(failures).toBeGreaterThan(50);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it('refuses sequences nested 100000 deep (no stack overflow)', () => {
    const open = [
      ...u16(0x0008, 0x1115),
      0x53,
      0x51,
      0,
      0,
      ...u32(0xffffffff),
      ...u16(0xfffe, 0xe000),
      ...u32(0xffffffff),
    ];
    const deep = new Uint8Array(open.length * 100000);
    for (let i = 0; i < 100000; i++) deep.set(open, i * open.length);
    expect(reasonOf(() => parsePart10(part10(deep)))).toBe('damaged');
  });

  it.each([
    ['a length past the end', [...u16(0x0010, 0x0010), 0x50, 0x4e, ...u16(200), 0x41, 0x42]],
    ['a VR that is not one', [...u16(0x0010, 0x0010), 0x3f, 0x3f, ...u16(2), 0x41, 0x42]],
    [
      'an undefined length on text',
      [...u16(0x0010, 0x0010), 0x55, 0x54, 0, 0, ...u32(0xffffffff), 0x41, 0x42],
    ],
    ['an item outside a sequence', [...u16(0xfffe, 0xe000), ...u32(0)]],
    [
      'a sequence without its delimiter',
      [...u16(0x0008, 0x1115), 0x53, 0x51, 0, 0, ...u32(0xffffffff), ...u16(0xfffe, 0xe000), ...u32(0)],
    ],
  ])("says 'damaged' for %s", (_name, tail) => {
    expect(reasonOf(() => parsePart10(part10(new Uint8Array([...encodeDataset(BASE), ...tail]))))).toBe(
      'damaged',
    );
  });
});
