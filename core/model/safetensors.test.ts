import { describe, expect, it } from 'vitest';
import { isVoxlabError } from '../common/errors.js';
import { parseSafetensors, serializeSafetensors, type SafetensorsTensor } from './safetensors.js';
import { referenceBytes } from './testing/backends.js';
import { halfToFloat, toFloat32, toIntegers } from './tensorValues.js';

/** A file from a header object (written as given) and `dataLength` zero bytes of data. */
function fileOf(header: unknown, dataLength: number, headerLength?: number): Uint8Array {
  const json =
    header instanceof Uint8Array
      ? header
      : new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.byteLength + dataLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength ?? json.byteLength), true);
  out.set(json, 8);
  return out;
}

const f32 = (shape: number[], begin: number) => ({
  dtype: 'F32',
  shape,
  data_offsets: [begin, begin + 4 * shape.reduce((a, b) => a * b, 1)],
});

describe('serializeSafetensors / parseSafetensors', () => {
  it('round-trips F32, F64 and I64 tensors with metadata, data 8-byte aligned', () => {
    const bytes = serializeSafetensors(
      [
        ['w', { dtype: 'F32', shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 0, 1e-30, -Infinity]) }],
        ['count', { dtype: 'I64', shape: [], data: BigInt64Array.from([123456789012n]) }],
        ['d', { dtype: 'F64', shape: [1], data: Float64Array.from([Math.PI]) }],
      ],
      { format: 'pt', note: 'ü' },
    );
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const file = parseSafetensors(bytes);
    expect(file.metadata).toEqual({ format: 'pt', note: 'ü' });
    expect([...file.tensors.keys()]).toEqual(['w', 'count', 'd']);
    expect(Array.from(toFloat32(file.tensors.get('w')!))).toEqual([
      1,
      -2,
      3.5,
      0,
      Math.fround(1e-30),
      -Infinity,
    ]);
    expect(file.tensors.get('count')).toMatchObject({ dtype: 'I64', shape: [] });
    expect(toIntegers(file.tensors.get('count')!)).toEqual([123456789012]);
    expect(toFloat32(file.tensors.get('d')!)[0]).toBe(Math.fround(Math.PI));
  });

  it('reads the MONAI tiny state_dict (127 tensors, F32 + I64, metadata)', () => {
    const file = parseSafetensors(referenceBytes('densenet_tiny.safetensors'));
    expect(file.tensors.size).toBe(127);
    expect(file.metadata?.format).toBe('pt');
    expect(file.tensors.get('features.conv0.weight')).toMatchObject({ dtype: 'F32', shape: [8, 1, 7, 7, 7] });
    expect(file.tensors.get('features.norm0.num_batches_tracked')).toMatchObject({ dtype: 'I64', shape: [] });
  });

  it('rejects data that does not fill the shape, or a dtype that does not match the data', () => {
    expect(() =>
      serializeSafetensors([['x', { dtype: 'F32', shape: [3], data: new Float32Array(2) }]]),
    ).toThrow(/2 values for shape \[3\]/);
    expect(() =>
      serializeSafetensors([['x', { dtype: 'I64', shape: [1], data: new Float32Array(1) }]]),
    ).toThrow(/is I64 but holds/);
  });

  const ok = fileOf({ a: f32([2], 0), b: f32([1], 8) }, 12);
  it.each<[string, Uint8Array, RegExp]>([
    ['an empty file', new Uint8Array(0), /0 bytes, fewer than the 8-byte header length/],
    ['a file truncated inside the length', ok.subarray(0, 5), /5 bytes/],
    ['a header length past the end', fileOf({}, 0, 400), /header length 400 runs past the end/],
    ['a header length over the cap', fileOf({}, 0, 2 ** 40), /exceeds the 100000000-byte limit/],
    [
      'a file truncated inside the data',
      ok.subarray(0, ok.byteLength - 1),
      /b: data_offsets \[8, 12\] lie outside the 11-byte/,
    ],
    ['trailing bytes', fileOf({ a: f32([2], 0) }, 12), /4 bytes after the last tensor belong to no tensor/],
    ['a header that is not JSON', fileOf('{"a": ', 0), /not valid JSON/],
    ['a header that is not an object', fileOf('[1, 2]', 0), /does not start with "\{"/],
    ['a header with junk after the JSON', fileOf('{} x', 0), /not valid JSON/],
    [
      'a header that is not UTF-8',
      fileOf(Uint8Array.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), 0),
      /not valid UTF-8/,
    ],
    [
      'an unknown dtype',
      fileOf({ a: { dtype: 'F17', shape: [1], data_offsets: [0, 4] } }, 4),
      /a: unknown dtype "F17"/,
    ],
    [
      'a dtype that does not match the bytes',
      fileOf({ a: { dtype: 'F64', shape: [2], data_offsets: [0, 8] } }, 8),
      /8 bytes for shape \[2\] of F64, which needs 16/,
    ],
    [
      'a negative shape',
      fileOf({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4),
      /shape must be a list of non-negative/,
    ],
    [
      'offsets out of range',
      fileOf({ a: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, 8),
      /\[4, 12\] lie outside the 8-byte/,
    ],
    ['offsets reversed', fileOf({ a: { dtype: 'F32', shape: [0], data_offsets: [4, 0] } }, 4), /lie outside/],
    [
      'offsets that are not a pair',
      fileOf({ a: { dtype: 'F32', shape: [1], data_offsets: [0] } }, 4),
      /data_offsets must be \[begin, end\]/,
    ],
    ['overlapping tensors', fileOf({ a: f32([2], 0), b: f32([2], 4) }, 12), /overlap another tensor/],
    ['a hole between tensors', fileOf({ a: f32([1], 0), b: f32([1], 8) }, 12), /b: a hole of 4 bytes/],
    [
      'metadata that is not strings',
      fileOf({ __metadata__: { format: 1 } }, 0),
      /__metadata__ must map strings to strings/,
    ],
  ])('rejects %s with WEIGHTS_INVALID', (_label, bytes, message) => {
    let caught: unknown;
    try {
      parseSafetensors(bytes);
    } catch (e) {
      caught = e;
    }
    expect(isVoxlabError(caught) && caught.code).toBe('WEIGHTS_INVALID');
    expect((caught as Error).message).toMatch(message);
  });

  it('accepts the well-formed file the malformed cases start from', () => {
    expect(parseSafetensors(ok).tensors.size).toBe(2);
  });
});

describe('tensor values', () => {
  it.each([
    [0x3c00, 1],
    [0xc000, -2],
    [0x7bff, 65504],
    [0x0001, 2 ** -24],
    [0x8000, -0],
    [0x7c00, Infinity],
  ])('decodes half-precision bits %i as %d', (bits, value) => {
    expect(halfToFloat(bits)).toBe(value);
  });

  it('widens F16 and BF16 tensors to float32', () => {
    const tensor = (dtype: 'F16' | 'BF16', words: number[]): SafetensorsTensor => ({
      dtype,
      shape: [words.length],
      bytes: new Uint8Array(Uint16Array.from(words).buffer),
    });
    expect(Array.from(toFloat32(tensor('F16', [0x3c00, 0x3555])))).toEqual([
      1,
      Math.fround(halfToFloat(0x3555)),
    ]);
    expect(Array.from(toFloat32(tensor('BF16', [0x3f80, 0xc040])))).toEqual([1, -3]);
    expect(isNaN(halfToFloat(0x7e00))).toBe(true);
  });
});
