// The protocol buffers wire format, by hand and without dependencies: enough to write ONNX models
// (varints, length-delimited bytes and messages, fixed32 floats) and to read their fields back.
// Encoding rules: https://protobuf.dev/programming-guides/encoding/

import { VoxlabError } from '../../common/errors.js';

/** Wire types: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32 (groups, 3 and 4, are not used by ONNX). */
export const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

const textEncoder = new TextEncoder();

/**
 * Appends fields to a message. Nested messages keep their chunks (no copy until finish()), so a model of
 * tens of megabytes of weights is copied once. Field numbers are the caller's (see onnxProto.ts).
 */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  /** Bytes written so far. */
  get length(): number {
    return this.size;
  }

  /** An int32/int64/enum/bool field as a varint; negative values take 10 bytes (two's complement). */
  varint(field: number, value: number | bigint): this {
    this.tag(field, WIRE.varint);
    this.push(encodeVarint(value));
    return this;
  }

  /** A float field (fixed32, little-endian). */
  float(field: number, value: number): this {
    this.tag(field, WIRE.fixed32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }

  /** A bytes field. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE.bytes);
    this.push(encodeVarint(value.byteLength));
    this.push(value);
    return this;
  }

  /** A string field (UTF-8). */
  string(field: number, value: string): this {
    return this.bytes(field, textEncoder.encode(value));
  }

  /** An embedded message field; `message` is taken over (do not write to it afterwards). */
  message(field: number, message: ProtoWriter): this {
    this.tag(field, WIRE.bytes);
    this.push(encodeVarint(message.size));
    for (const c of message.chunks) this.push(c);
    return this;
  }

  /** A packed repeated varint field (proto2 `[packed = true]` or proto3 default). */
  packedVarints(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.push(encodeVarint(v));
    return this.message(field, inner);
  }

  /** The message as one array. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.byteLength;
    }
    return out;
  }

  private tag(field: number, wire: number): void {
    if (!Number.isInteger(field) || field < 1 || field > 0x1fffffff)
      throw new VoxlabError('INTERNAL', `ProtoWriter: bad field number ${field}`);
    this.push(encodeVarint(field * 8 + wire));
  }

  private push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.size += chunk.byteLength;
  }
}

/** A varint: 7 bits per byte, low bits first, high bit set on all but the last byte. */
export function encodeVarint(value: number | bigint): Uint8Array {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value))
      throw new VoxlabError('INTERNAL', `encodeVarint: ${value} is not a safe integer`);
    if (value >= 0 && value < 2 ** 31) {
      const out: number[] = [];
      let v = value;
      while (v >= 0x80) {
        out.push((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      out.push(v);
      return Uint8Array.from(out);
    }
  }
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

/** One field read from a message: varints as bigint (two's complement int64), bytes as a view, fixed as numbers. */
export type ProtoField =
  | { readonly field: number; readonly wire: 0; readonly value: bigint }
  | { readonly field: number; readonly wire: 1; readonly value: number }
  | { readonly field: number; readonly wire: 2; readonly value: Uint8Array }
  | { readonly field: number; readonly wire: 5; readonly value: number };

/**
 * The fields of one message, in order (no schema: nested messages stay bytes for the caller to read).
 * Throws MODEL_INVALID when the bytes are not a well-formed message.
 */
export function readFields(bytes: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (pos >= bytes.byteLength) throw malformed('a varint runs past the end');
      const b = bytes[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asIntN(64, result);
    }
    throw malformed('a varint is longer than 10 bytes');
  };
  while (pos < bytes.byteLength) {
    const key = Number(BigInt.asUintN(64, varint()));
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (field < 1) throw malformed(`field number ${field}`);
    if (wire === WIRE.varint) fields.push({ field, wire, value: varint() });
    else if (wire === WIRE.fixed64) {
      if (pos + 8 > bytes.byteLength) throw malformed('a fixed64 runs past the end');
      fields.push({ field, wire, value: view.getFloat64(pos, true) });
      pos += 8;
    } else if (wire === WIRE.fixed32) {
      if (pos + 4 > bytes.byteLength) throw malformed('a fixed32 runs past the end');
      fields.push({ field, wire, value: view.getFloat32(pos, true) });
      pos += 4;
    } else if (wire === WIRE.bytes) {
      const n = Number(varint());
      if (n < 0 || pos + n > bytes.byteLength) throw malformed('a length-delimited field runs past the end');
      fields.push({ field, wire, value: bytes.subarray(pos, pos + n) });
      pos += n;
    } else throw malformed(`unknown wire type ${wire}`);
  }
  return fields;
}

/** The varints of a packed repeated field (or of one unpacked element). */
export function readPackedVarints(bytes: Uint8Array): bigint[] {
  const out: bigint[] = [];
  let pos = 0;
  while (pos < bytes.byteLength) {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= bytes.byteLength) throw malformed('a packed varint runs past the end');
      const b = bytes[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) break;
    }
    out.push(BigInt.asIntN(64, result));
  }
  return out;
}

function malformed(why: string): VoxlabError {
  return new VoxlabError('MODEL_INVALID', `Not a valid protocol buffers message: ${why}`);
}
