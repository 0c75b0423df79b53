// The safetensors format (huggingface/safetensors): an 8-byte little-endian header length, a JSON header
// {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?: {string: string}}, then raw
// little-endian data. Read strictly (the data must be exactly covered, no holes or overlaps) and written
// as the reference writer does (header padded with spaces so data starts 8-byte aligned).

import { VoxlabError } from '../common/errors.js';
import { numel } from './graph.js';

/** Bytes per element of each safetensors dtype. */
export const DTYPE_SIZES = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E4M3: 1,
  F8_E5M2: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
} as const;

export type SafetensorsDtype = keyof typeof DTYPE_SIZES;

/** One tensor of a file: `bytes` is a view of its little-endian data (C order over `shape`). */
export interface SafetensorsTensor {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

/** A parsed file: tensors in header order, and the optional string-to-string metadata. */
export interface SafetensorsFile {
  readonly tensors: ReadonlyMap<string, SafetensorsTensor>;
  readonly metadata: Readonly<Record<string, string>> | undefined;
}

/** The spec's cap on the header size (100 MB); a larger length field means a damaged or hostile file. */
export const MAX_HEADER_BYTES = 100_000_000;

/** Parses a safetensors file; throws WEIGHTS_INVALID saying what is wrong. Tensor bytes are views of `bytes`. */
export function parseSafetensors(bytes: Uint8Array, maxHeaderBytes = MAX_HEADER_BYTES): SafetensorsFile {
  if (bytes.byteLength < 8)
    throw invalid(`the file has ${bytes.byteLength} bytes, fewer than the 8-byte header length`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(maxHeaderBytes))
    throw invalid(`header length ${headerLength} exceeds the ${maxHeaderBytes}-byte limit`);
  const dataStart = 8 + Number(headerLength);
  if (dataStart > bytes.byteLength) {
    throw invalid(
      `header length ${headerLength} runs past the end of the ${bytes.byteLength}-byte file (truncated?)`,
    );
  }
  const header = parseHeaderJson(bytes.subarray(8, dataStart));
  const data = bytes.subarray(dataStart);
  let metadata: Record<string, string> | undefined;
  const tensors = new Map<string, SafetensorsTensor & { begin: number; end: number }>();
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') metadata = checkMetadata(value);
    else tensors.set(name, checkEntry(name, value, data));
  }
  checkCoverage(tensors, data.byteLength);
  const out = new Map<string, SafetensorsTensor>();
  for (const [name, t] of tensors) out.set(name, { dtype: t.dtype, shape: t.shape, bytes: t.bytes });
  return { tensors: out, metadata };
}

function parseHeaderJson(headerBytes: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch (e) {
    throw invalid('the header is not valid UTF-8', e);
  }
  if (!text.startsWith('{')) throw invalid('the header does not start with "{" (not a safetensors file?)');
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw invalid(`the header is not valid JSON (${(e as Error).message})`, e);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw invalid('the header is not a JSON object');
  return header as Record<string, unknown>;
}

function checkMetadata(value: unknown): Record<string, string> {
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    !Object.values(value).every((v) => typeof v === 'string')
  ) {
    throw invalid('__metadata__ must map strings to strings');
  }
  return { ...(value as Record<string, string>) };
}

function checkEntry(
  name: string,
  value: unknown,
  data: Uint8Array,
): SafetensorsTensor & { begin: number; end: number } {
  const v = (typeof value === 'object' && value !== null ? value : {}) as {
    dtype?: unknown;
    shape?: unknown;
    data_offsets?: unknown;
  };
  const { dtype, shape, data_offsets: offsets } = v;
  if (typeof dtype !== 'string' || !Object.hasOwn(DTYPE_SIZES, dtype))
    throw invalid(`${name}: unknown dtype ${brief(dtype)}`);
  if (!Array.isArray(shape) || !shape.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw invalid(`${name}: shape must be a list of non-negative integers, got ${brief(shape)}`);
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((n) => Number.isSafeInteger(n) && n >= 0)
  ) {
    throw invalid(
      `${name}: data_offsets must be [begin, end] non-negative integers, got ${brief(offsets)}`,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end || end > data.byteLength) {
    throw invalid(
      `${name}: data_offsets [${begin}, ${end}] lie outside the ${data.byteLength}-byte data section`,
    );
  }
  const expected = numel(shape) * DTYPE_SIZES[dtype as SafetensorsDtype];
  if (end - begin !== expected) {
    throw invalid(
      `${name}: ${end - begin} bytes for shape [${shape.join(', ')}] of ${dtype}, which needs ${expected}`,
    );
  }
  return {
    dtype: dtype as SafetensorsDtype,
    shape: [...shape],
    bytes: data.subarray(begin, end),
    begin,
    end,
  };
}

/**
 * A header value for an error message, at most two levels deep and ~200 characters: JSON.stringify of a
 * hostile header's value (a shape nested 100,000 lists deep) overflows the stack with a RangeError.
 */
function brief(value: unknown, depth = 0): string {
  if (typeof value !== 'object' || value === null) return String(JSON.stringify(value)).slice(0, 80);
  if (depth >= 2) return Array.isArray(value) ? '[…]' : '{…}';
  const parts = Array.isArray(value)
    ? value.slice(0, 8).map((v: unknown) => brief(v, depth + 1))
    : Object.entries(value).slice(0, 8).map(([k, v]) => `${JSON.stringify(k.slice(0, 40))}: ${brief(v, depth + 1)}`);
  const more = (Array.isArray(value) ? value.length : Object.keys(value).length) > 8 ? ', …' : '';
  const text = `${parts.join(', ')}${more}`.slice(0, 200);
  return Array.isArray(value) ? `[${text}]` : `{${text}}`;
}

/** The data section must be covered exactly: sorted by offset, each tensor starts where the last ended. */
function checkCoverage(tensors: Map<string, { begin: number; end: number }>, dataLength: number): void {
  const sorted = [...tensors].sort(([, a], [, b]) => a.begin - b.begin || a.end - b.end);
  let position = 0;
  for (const [name, t] of sorted) {
    if (t.begin < position)
      throw invalid(`${name}: data_offsets [${t.begin}, ${t.end}] overlap another tensor`);
    if (t.begin > position) throw invalid(`${name}: a hole of ${t.begin - position} bytes before its data`);
    position = t.end;
  }
  if (position !== dataLength)
    throw invalid(`${dataLength - position} bytes after the last tensor belong to no tensor`);
}

/** A tensor to write; `data` holds its values in C order over `shape` (bigint64 for I64). */
export interface TensorToWrite {
  readonly dtype: 'F32' | 'F64' | 'I64';
  readonly shape: readonly number[];
  readonly data: Float32Array | Float64Array | BigInt64Array;
}

/**
 * Serialises tensors in the given order, with `metadata` (default {format: 'pt'}, which
 * safetensors.torch expects). Throws BAD_ARGUMENT when a tensor's data does not fill its shape.
 */
export function serializeSafetensors(
  tensors: Iterable<readonly [string, TensorToWrite]>,
  metadata: Record<string, string> = { format: 'pt' },
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  const list = [...tensors];
  let offset = 0;
  for (const [name, t] of list) {
    if (name === '__metadata__' || Object.hasOwn(header, name))
      throw new VoxlabError('BAD_ARGUMENT', `serializeSafetensors: bad or repeated name ${name}`);
    if (t.data.length !== numel(t.shape)) {
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `serializeSafetensors: ${name} has ${t.data.length} values for shape [${t.shape.join(', ')}]`,
      );
    }
    if ((t.dtype === 'I64') !== t.data instanceof BigInt64Array) {
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `serializeSafetensors: ${name} is ${t.dtype} but holds a ${t.data.constructor.name}`,
      );
    }
    const size = t.data.length * DTYPE_SIZES[t.dtype];
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(header);
  const jsonLength = new TextEncoder().encode(json).byteLength;
  json += ' '.repeat((8 - (jsonLength % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let position = 8 + headerBytes.byteLength;
  for (const [, t] of list) position = writeValues(view, position, t);
  return out;
}

function writeValues(view: DataView, position: number, t: TensorToWrite): number {
  const { data } = t;
  if (data instanceof BigInt64Array) {
    for (let i = 0; i < data.length; i++, position += 8) view.setBigInt64(position, data[i]!, true);
  } else if (t.dtype === 'F64') {
    for (let i = 0; i < data.length; i++, position += 8) view.setFloat64(position, data[i]!, true);
  } else {
    for (let i = 0; i < data.length; i++, position += 4) view.setFloat32(position, data[i]!, true);
  }
  return position;
}

function invalid(message: string, cause?: unknown): VoxlabError {
  return new VoxlabError(
    'WEIGHTS_INVALID',
    `safetensors: ${message}`,
    undefined,
    cause === undefined ? undefined : { cause },
  );
}
