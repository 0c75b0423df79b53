// readNiftiBuffer on hand-built headers: every datatype in both byte orders and both NIfTI versions,
// and nibabel's header rules (scaling, affine choice, fixes). Damaged input: readNiftiErrors.test.ts.

import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readNiftiBuffer, readNiftiHeaderBuffer } from './readNiftiBuffer.js';
import { encode, nifti, NVOX } from './testUtils.js';

const VALUES = [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 100];
const CASES: [
  name: string,
  code: number,
  bitpix: number,
  setter: string,
  size: number,
  raw: number[],
  expected: number[],
][] = [
  ['uint8', 2, 8, 'setUint8', 1, VALUES, VALUES],
  ['int8', 256, 8, 'setInt8', 1, VALUES.map((x) => -x), VALUES.map((x) => -x)],
  ['int16', 4, 16, 'setInt16', 2, VALUES.map((x) => x - 50), VALUES.map((x) => x - 50)],
  ['uint16', 512, 16, 'setUint16', 2, VALUES.map((x) => x * 600), VALUES.map((x) => x * 600)],
  ['int32', 8, 32, 'setInt32', 4, VALUES.map((x) => -x * 1e5), VALUES.map((x) => -x * 1e5)],
  ['uint32', 768, 32, 'setUint32', 4, VALUES.map((x) => x * 4e7), VALUES.map((x) => x * 4e7)],
  ['int64', 1024, 64, 'setBigInt64', 8, VALUES.map((x) => -x), VALUES.map((x) => -x)],
  ['uint64', 1280, 64, 'setBigUint64', 8, VALUES, VALUES],
  ['float32', 16, 32, 'setFloat32', 4, VALUES.map((x) => x / 4), VALUES.map((x) => x / 4)],
  ['float64', 64, 64, 'setFloat64', 8, VALUES.map((x) => x / 3), VALUES.map((x) => x / 3)],
  ['complex64', 32, 64, 'setFloat32', 4, VALUES.flatMap((x) => [3 * x, -4 * x]), VALUES.map((x) => 5 * x)],
  [
    'complex128',
    1792,
    128,
    'setFloat64',
    8,
    VALUES.flatMap((x) => [-3 * x, 4 * x]),
    VALUES.map((x) => 5 * x),
  ],
  ['rgb24', 128, 24, 'setUint8', 1, VALUES.flatMap((x) => [x, x, x]), VALUES],
  ['rgba32', 2304, 32, 'setUint8', 1, VALUES.flatMap((x) => [x, x, x, 255]), VALUES],
];

function expectClose(actual: Float32Array, expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((x, n) => expect(actual[n]).toBeCloseTo(x, 3));
}

describe('readNiftiBuffer datatypes', () => {
  const variants = [1, 2].flatMap((version) =>
    [true, false].map((littleEndian) => ({ version: version as 1 | 2, littleEndian })),
  );
  it.each(
    CASES.flatMap((c) =>
      variants.map((v) => [`${c[0]} NIfTI-${v.version} ${v.littleEndian ? 'LE' : 'BE'}`, c, v] as const),
    ),
  )('%s', (_label, [name, code, bitpix, setter, size, raw, expected], { version, littleEndian }) => {
    const bytes = nifti(
      { version, littleEndian, datatype: code, bitpix },
      encode(setter, size, raw, littleEndian),
    );
    const volume = readNiftiBuffer(bytes);
    expect([volume.header.datatype, volume.header.niftiVersion, volume.header.endianness]).toEqual([
      name,
      version,
      littleEndian ? 'little' : 'big',
    ]);
    expectClose(volume.data, expected);
    expectClose(readNiftiBuffer(gzipSync(bytes)).data, expected);
  });

  it('views little-endian data at an odd offset correctly (copying it)', () => {
    const data = encode('setInt16', 2, VALUES, true);
    const padded = new Uint8Array(nifti({ datatype: 4, bitpix: 16 }, data).length + 1);
    padded.set(nifti({ datatype: 4, bitpix: 16 }, data), 1);
    expectClose(readNiftiBuffer(padded.subarray(1)).data, VALUES);
  });
});

describe('readNiftiBuffer follows nibabel header rules', () => {
  it.each([
    ['slope and intercept', { slope: 2, inter: -1 }, VALUES.map((x) => 2 * x * 2 - 1), [2, -1]],
    ['slope 0 = no scaling', { slope: 0, inter: 5 }, VALUES.map((x) => x * 2), [1, 0]],
    ['slope NaN = no scaling', { slope: NaN, inter: 5 }, VALUES.map((x) => x * 2), [1, 0]],
    ['intercept NaN = 0', { slope: 3, inter: NaN }, VALUES.map((x) => 3 * x * 2), [3, 0]],
  ])('%s', (_label, over, expected, [slope, inter]) => {
    const volume = readNiftiBuffer(
      nifti(
        over,
        Uint8Array.from(VALUES, (x) => x * 2),
      ),
    );
    expectClose(volume.data, expected);
    expect([volume.header.sclSlope, volume.header.sclInter]).toEqual([slope, inter]);
  });

  it.each([
    [
      'sform when sform_code > 0',
      { sformCode: 1, qformCode: 1 },
      [2, 0, 0, -2, 0, 3, 0, -3, 0, 0, 4, -4],
      'RAS',
    ],
    [
      'qform when only qform_code > 0',
      { sformCode: 0, qformCode: 1 },
      [2, 0, 0, 10, 0, 3, 0, 20, 0, 0, 4, 30],
      'RAS',
    ],
    [
      'qform with qfac -1',
      { sformCode: 0, qformCode: 1, pixdim: [-1, 2, 3, 4, 1, 1, 1, 1] },
      [2, 0, 0, 10, 0, 3, 0, 20, 0, 0, -4, 30],
      'RAI',
    ],
    [
      'qform quaternion (0, 0, 1): 180° about z',
      { sformCode: 0, qformCode: 2, quatern: [0, 0, 1, 1, 2, 3] },
      [-2, 0, 0, 1, 0, -3, 0, 2, 0, 0, 4, 3],
      'LPS',
    ],
    [
      'qfac 0 counts as 1',
      { sformCode: 0, qformCode: 1, pixdim: [0, 2, 3, 4, 1, 1, 1, 1] },
      [2, 0, 0, 10, 0, 3, 0, 20, 0, 0, 4, 30],
      'RAS',
    ],
    [
      'pixdim fallback: LAS, origin at the centre',
      { sformCode: 0, qformCode: 0 },
      [-2, 0, 0, 1, 0, 3, 0, -3, 0, 0, 4, -2],
      'LAS',
    ],
    [
      'zero and negative pixdim fixed to 1 and absolute',
      { sformCode: 0, qformCode: 0, pixdim: [1, 0, -3, 4, 1, 1, 1, 1] },
      [-1, 0, 0, 0.5, 0, 3, 0, -3, 0, 0, 4, -2],
      'LAS',
    ],
    [
      'invalid sform_code is ignored as nibabel resets it',
      { sformCode: 77, qformCode: 0 },
      [-2, 0, 0, 1, 0, 3, 0, -3, 0, 0, 4, -2],
      'LAS',
    ],
  ])('affine: %s', (_label, over, rows, axcodes) => {
    const volume = readNiftiBuffer(nifti(over));
    rows.forEach((x, n) => expect(volume.affine[n]).toBeCloseTo(x, 5));
    expect(volume.axcodes).toBe(axcodes);
  });

  it('keeps NaN voxels of float data', () => {
    const volume = readNiftiBuffer(
      nifti({ datatype: 16, bitpix: 32 }, encode('setFloat32', 4, [NaN, ...VALUES.slice(1)], true)),
    );
    expect(volume.data[0]).toBeNaN();
    expect(volume.data[1]).toBe(1);
  });

  it('reports the 4D shape and reads the asked frame', () => {
    const data = Uint8Array.from({ length: NVOX * 3 }, (_, i) => i);
    const bytes = nifti({ dim: [4, 2, 3, 2, 3, 1, 1, 1] }, data);
    expect(readNiftiBuffer(bytes).header.shape).toEqual([2, 3, 2, 3]);
    expect(readNiftiBuffer(bytes, { frame: 2 }).data[0]).toBe(24);
    expect(readNiftiHeaderBuffer(bytes).frames).toBe(3);
  });

  it('lists extensions and reads the data after them', () => {
    const bytes = nifti({ voxOffset: 384 });
    bytes[348] = 1;
    new DataView(bytes.buffer).setInt32(352, 32, true);
    new DataView(bytes.buffer).setInt32(356, 6, true);
    expect(readNiftiBuffer(bytes).header.extensions).toEqual([{ code: 6, size: 24 }]);
    expect(readNiftiBuffer(bytes).data[1]).toBe(10);
  });
});
