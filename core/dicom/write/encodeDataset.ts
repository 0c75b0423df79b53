// Encodes a Dataset as Explicit VR Little Endian (or Implicit VR Little Endian, for tests of readers):
// attributes in ascending tag order, values padded to even lengths, sequences with defined or undefined
// lengths. Layout: DICOM PS3.5 2024 section 7 (data elements, 7.1.2 headers, 7.5 nesting).

import { VoxlabError } from '../../common/errors.js';
import { isTypedValue, type Dataset, type DicomValue } from './dataset.js';
import {
  DICTIONARY,
  ITEM,
  ITEM_DELIMITER,
  SEQUENCE_DELIMITER,
  UNDEFINED_LENGTH,
  type Keyword,
} from './dictionary.js';
import { formatDs, formatIs } from './numberStrings.js';
import {
  hasLongLength,
  isSingleValuedText,
  isTextVr,
  MAX_TEXT_LENGTH,
  NUMERIC_SIZE,
  paddingByte,
  type Vr,
} from './vr.js';

export interface EncodeOptions {
  /** 'explicit' (default): Explicit VR Little Endian; 'implicit': Implicit VR Little Endian (no VRs). */
  readonly vrEncoding?: 'explicit' | 'implicit';
  /** 'defined' (default): sequence and item lengths written; 'undefined': 0xFFFFFFFF and delimiters. */
  readonly sequenceLength?: 'defined' | 'undefined';
}

/** Bytes in pieces, with their total, so nested lengths are known before the pieces are joined. */
interface Chunks {
  readonly parts: Uint8Array[];
  length: number;
}

const utf8 = new TextEncoder();

/** The dataset's bytes (no preamble, no File Meta). BAD_ARGUMENT for a value its VR cannot hold. */
export function encodeDataset(dataset: Dataset, options: EncodeOptions = {}): Uint8Array {
  return join(encodeElements(dataset, options));
}

/** Joins chunks into one array. */
export function join(chunks: Chunks): Uint8Array {
  const out = new Uint8Array(chunks.length);
  let at = 0;
  for (const p of chunks.parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function push(chunks: Chunks, part: Uint8Array): void {
  chunks.parts.push(part);
  chunks.length += part.length;
}

function encodeElements(dataset: Dataset, options: EncodeOptions): Chunks {
  const keys = (Object.keys(dataset) as Keyword[]).filter((k) => dataset[k] !== undefined);
  for (const k of keys)
    if (!(k in DICTIONARY))
      throw new VoxlabError('INTERNAL', `encodeDataset: ${k} is not in voxlab's DICOM dictionary`);
  keys.sort((a, b) => DICTIONARY[a][0] - DICTIONARY[b][0]);
  const out: Chunks = { parts: [], length: 0 };
  for (const keyword of keys) {
    const raw = dataset[keyword]!;
    const vr: Vr = isTypedValue(raw) ? raw.vr : DICTIONARY[keyword][1];
    const value = isTypedValue(raw) ? raw.value : raw;
    const body =
      vr === 'SQ' ? encodeSequence(keyword, value, options) : single(encodeValue(keyword, vr, value));
    const undefinedLength = vr === 'SQ' && options.sequenceLength === 'undefined';
    push(
      out,
      header(DICTIONARY[keyword][0], vr, undefinedLength ? UNDEFINED_LENGTH : body.length, options, keyword),
    );
    for (const p of body.parts) push(out, p);
  }
  return out;
}

function single(bytes: Uint8Array): Chunks {
  return { parts: [bytes], length: bytes.length };
}

/** Tag, VR and length (PS3.5 7.1.1-7.1.3). */
function header(tag: number, vr: Vr, length: number, options: EncodeOptions, keyword: string): Uint8Array {
  const implicit = options.vrEncoding === 'implicit';
  const long = implicit || hasLongLength(vr);
  if (!long && length > 0xfffe)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `encodeDataset: ${keyword} (${vr}) holds ${length} bytes, more than its 2-byte length allows`,
    );
  const out = new Uint8Array(implicit ? 8 : long ? 12 : 8);
  const view = new DataView(out.buffer);
  view.setUint16(0, tag >>> 16, true);
  view.setUint16(2, tag & 0xffff, true);
  if (implicit) {
    view.setUint32(4, length, true);
  } else {
    out[4] = vr.charCodeAt(0);
    out[5] = vr.charCodeAt(1);
    if (long) view.setUint32(8, length, true);
    else view.setUint16(6, length, true);
  }
  return out;
}

function itemHeader(tag: number, length: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint16(0, tag >>> 16, true);
  view.setUint16(2, tag & 0xffff, true);
  view.setUint32(4, length, true);
  return out;
}

function encodeSequence(keyword: string, value: DicomValue, options: EncodeOptions): Chunks {
  if (value !== null && !(Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null)))
    throw new VoxlabError('BAD_ARGUMENT', `encodeDataset: ${keyword} is a sequence; give a list of datasets`);
  const undefinedLength = options.sequenceLength === 'undefined';
  const out: Chunks = { parts: [], length: 0 };
  for (const item of (value ?? []) as readonly Dataset[]) {
    const body = encodeElements(item, options);
    push(out, itemHeader(ITEM, undefinedLength ? UNDEFINED_LENGTH : body.length));
    for (const p of body.parts) push(out, p);
    if (undefinedLength) push(out, itemHeader(ITEM_DELIMITER, 0));
  }
  if (undefinedLength) push(out, itemHeader(SEQUENCE_DELIMITER, 0));
  return out;
}

/** The value bytes of a non-sequence element, padded to an even length. */
function encodeValue(keyword: string, vr: Vr, value: DicomValue): Uint8Array {
  let bytes: Uint8Array;
  if (value === null) bytes = new Uint8Array(0);
  else if (isTextVr(vr)) bytes = utf8.encode(textOf(keyword, vr, value));
  else if (NUMERIC_SIZE[vr] !== undefined) bytes = numbersOf(keyword, vr, value);
  else if (value instanceof Uint8Array) bytes = value;
  else throw new VoxlabError('BAD_ARGUMENT', `encodeDataset: ${keyword} (${vr}) takes bytes (a Uint8Array)`);
  if (bytes.length % 2 === 0) return bytes;
  const padded = new Uint8Array(bytes.length + 1);
  padded.set(bytes);
  padded[bytes.length] = paddingByte(vr);
  return padded;
}

function textOf(keyword: string, vr: Vr, value: DicomValue): string {
  const list = (Array.isArray(value) ? value : [value]) as readonly unknown[];
  const strings = list.map((v) => {
    if (typeof v === 'number' && vr === 'DS') return formatDs(v);
    if (typeof v === 'number' && vr === 'IS') return formatIs(v);
    if (typeof v === 'string') return v;
    throw new VoxlabError('BAD_ARGUMENT', `encodeDataset: ${keyword} (${vr}) takes text, got ${typeof v}`);
  });
  if (isSingleValuedText(vr) && strings.length > 1)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `encodeDataset: ${keyword} (${vr}) holds one value, got ${strings.length}`,
    );
  const max = MAX_TEXT_LENGTH[vr];
  for (const s of strings) {
    if (!isSingleValuedText(vr) && s.includes('\\'))
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `encodeDataset: ${keyword} value "${s}" contains a backslash, DICOM's value separator`,
      );
    if (max !== undefined && [...s].length > max)
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `encodeDataset: ${keyword} (${vr}) value "${s}" is longer than ${max} characters`,
      );
  }
  return strings.join('\\');
}

function numbersOf(keyword: string, vr: Vr, value: DicomValue): Uint8Array {
  const list = (Array.isArray(value) ? value : [value]) as readonly unknown[];
  const size = NUMERIC_SIZE[vr]!;
  const out = new Uint8Array(list.length * size);
  const view = new DataView(out.buffer);
  list.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `encodeDataset: ${keyword} (${vr}) takes finite numbers, got ${String(v)}`,
      );
    const at = i * size;
    switch (vr) {
      case 'US':
        view.setUint16(at, checkInt(keyword, v, 0, 0xffff), true);
        break;
      case 'SS':
        view.setInt16(at, checkInt(keyword, v, -0x8000, 0x7fff), true);
        break;
      case 'UL':
        view.setUint32(at, checkInt(keyword, v, 0, 0xffffffff), true);
        break;
      case 'SL':
        view.setInt32(at, checkInt(keyword, v, -(2 ** 31), 2 ** 31 - 1), true);
        break;
      case 'FL':
        view.setFloat32(at, v, true);
        break;
      case 'FD':
        view.setFloat64(at, v, true);
        break;
      case 'SV':
        view.setBigInt64(
          at,
          BigInt(checkInt(keyword, v, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)),
          true,
        );
        break;
      case 'UV':
        view.setBigUint64(at, BigInt(checkInt(keyword, v, 0, Number.MAX_SAFE_INTEGER)), true);
        break;
      case 'AT': {
        const tag = checkInt(keyword, v, 0, 0xffffffff);
        view.setUint16(at, tag >>> 16, true);
        view.setUint16(at + 2, tag & 0xffff, true);
        break;
      }
      default:
        throw new VoxlabError('INTERNAL', `encodeDataset: no number encoding for ${vr}`);
    }
  });
  return out;
}

function checkInt(keyword: string, v: number, lo: number, hi: number): number {
  if (!Number.isInteger(v) || v < lo || v > hi)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `encodeDataset: ${keyword} value ${v} is not an integer in [${lo}, ${hi}]`,
    );
  return v;
}
