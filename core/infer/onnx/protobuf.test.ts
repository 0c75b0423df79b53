import { describe, expect, it } from 'vitest';
import { encodeVarint, ProtoWriter, readFields, readPackedVarints } from './protobuf.js';

describe('protocol buffers wire format', () => {
  it.each([
    [0, [0x00]],
    [1, [0x01]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [300, [0xac, 0x02]],
    [2 ** 31, [0x80, 0x80, 0x80, 0x80, 0x08]],
    [-1, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
  ])('encodes the varint %d as the spec does', (value, bytes) => {
    expect([...encodeVarint(value)]).toEqual(bytes);
  });

  it('round-trips every wire type through readFields, nested messages included', () => {
    const inner = new ProtoWriter().string(1, 'ß-key').varint(2, -7);
    const bytes = new ProtoWriter()
      .varint(1, 8)
      .float(2, 1.5)
      .bytes(3, Uint8Array.of(1, 2, 3))
      .message(14, inner)
      .packedVarints(5, [1, 300, -2])
      .finish();
    const fields = readFields(bytes);
    expect(fields.map((f) => [f.field, f.wire])).toEqual([
      [1, 0],
      [2, 5],
      [3, 2],
      [14, 2],
      [5, 2],
    ]);
    expect(fields[0]!.value).toBe(8n);
    expect(fields[1]!.value).toBe(1.5);
    expect([...(fields[2]!.value as Uint8Array)]).toEqual([1, 2, 3]);
    const nested = readFields(fields[3]!.value as Uint8Array);
    expect(new TextDecoder().decode(nested[0]!.value as Uint8Array)).toBe('ß-key');
    expect(nested[1]!.value).toBe(-7n);
    expect(readPackedVarints(fields[4]!.value as Uint8Array)).toEqual([1n, 300n, -2n]);
  });

  it.each([
    ['a truncated varint', [0x08, 0x80]],
    ['a length past the end', [0x1a, 0x05, 0x01]],
    ['wire type 3 (groups)', [0x0b]],
  ])('rejects %s as MODEL_INVALID', (_, bytes) => {
    expect(() => readFields(Uint8Array.from(bytes))).toThrow(
      expect.objectContaining({ code: 'MODEL_INVALID' }),
    );
  });
});
