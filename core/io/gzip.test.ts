// Whole-stream inflation: the same bytes whatever the trailer says (one chunk when it is honest, many when it
// lies), multi-member streams joined, limits and damage as typed errors.

import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipAll, gunzipPrefix } from './gzip.js';

const data = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 31) % 251);
const gz = new Uint8Array(gzipSync(data, { level: 1 }));

/** `bytes` with the gzip ISIZE trailer (last 4 bytes) replaced by `isize`. */
function withTrailer(bytes: Uint8Array, isize: number): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer).setUint32(out.length - 4, isize >>> 0, true);
  return out;
}

describe('gunzipAll', () => {
  it('inflates exactly, with an honest trailer', () => {
    expect(new Uint8Array(gunzipAll(gz, 1 << 20, 'x'))).toEqual(data);
  });

  it.each([0, 1, 1000, 0xffffffff])('ignores a trailer that lies (ISIZE %i) beyond its checksum check', (isize) => {
    // zlib verifies ISIZE at the end: a wrong one is damage, whatever chunk size it suggested.
    expect(() => gunzipAll(withTrailer(gz, isize), 1 << 20, 'x')).toThrow(/NIFTI_CORRUPT|damaged|truncated/i);
  });

  it('joins the members of a multi-member stream', () => {
    const two = new Uint8Array([...gz, ...new Uint8Array(gzipSync(data.subarray(0, 1000)))]);
    const out = gunzipAll(two, 1 << 20, 'x');
    expect(out.length).toBe(data.length + 1000);
    expect(new Uint8Array(out.subarray(data.length))).toEqual(data.subarray(0, 1000));
  });

  it('refuses more than the limit as TOO_LARGE', () => {
    expect(() => gunzipAll(gz, 1000, 'x')).toThrow(/inflates to more than 1000 bytes/);
  });

  it('reports a cut stream as truncated', () => {
    expect(() => gunzipAll(gz.subarray(0, gz.length / 2), 1 << 20, 'x')).toThrow(/truncated/);
  });
});

describe('gunzipPrefix', () => {
  it('inflates at least the bytes asked for', () => {
    const out = gunzipPrefix(gz, 348, 1 << 20, 'x');
    expect(out.length).toBeGreaterThanOrEqual(348);
    expect(new Uint8Array(out.subarray(0, 348))).toEqual(data.subarray(0, 348));
  });
});
