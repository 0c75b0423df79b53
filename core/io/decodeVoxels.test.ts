// The lookup-table path for scaled 8/16-bit voxels gives exactly the multiply-add values, both byte orders.

import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../common/random.js';
import { readNiftiBuffer } from './readNiftiBuffer.js';
import { encode, nifti } from './testUtils.js';

describe('scaled integer voxels through a lookup table', () => {
  const dim = [3, 70, 70, 70, 1, 1, 1, 1]; // 343,000 voxels: large enough for the table path of every type
  const count = 70 * 70 * 70;
  it.each([
    ['uint8', 2, 8, 'setUint8', 1, 0, 255, true],
    ['int8', 256, 8, 'setInt8', 1, -128, 127, true],
    ['uint16', 512, 16, 'setUint16', 2, 0, 65535, false],
    ['int16', 4, 16, 'setInt16', 2, -32768, 32767, true],
    ['int16', 4, 16, 'setInt16', 2, -32768, 32767, false],
  ] as const)('%s (code %i), little-endian %s', (_name, datatype, bitpix, setter, bytes, lo, hi, littleEndian) => {
    const rng = new SeededRandom(7);
    const values = Array.from({ length: count }, () => rng.int(lo, hi + 1));
    const [slope, inter] = [0.37, -12.5];
    const file = nifti({ dim: [...dim], datatype, bitpix, slope, inter, littleEndian }, encode(setter, bytes, values, littleEndian));
    const volume = readNiftiBuffer(file);
    const expected = Float32Array.from(values, (v) => v * Math.fround(slope) + inter); // the header holds float32
    expect(volume.data.length).toBe(count);
    const mismatches = expected.reduce((n, v, i) => (v === volume.data[i] ? n : n + 1), 0);
    expect(mismatches).toBe(0);
  });
});
