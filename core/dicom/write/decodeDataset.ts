// Reads a DICOM Part 10 file into elements by tag (values left as byte views, decoded on access; see
// accessors.ts). Explicit and Implicit VR Little Endian, sequences and items of defined or undefined
// length, encapsulated pixel data as fragments; optionally stops at a tag (headers without the pixels).
// Kept beside the encoder so each is tested against the other. Layout: DICOM PS3.5 2024 section 7,
// PS3.10 7.1. Every read is bounds-checked and every step consumes bytes, so damaged input ends in a
// VoxlabError, never a hang or a RangeError.

import { VoxlabError } from '../../common/errors.js';
import { ascii, textDecoderFor } from './charsets.js';
import {
  formatTag,
  ITEM,
  ITEM_DELIMITER,
  SEQUENCE_DELIMITER,
  tagOf,
  UNDEFINED_LENGTH,
} from './dictionary.js';
import { hasLongLength, isVr, type Vr } from './vr.js';
import { TRANSFER_SYNTAX } from './writePart10.js';

/** One element as read: its VR (null in Implicit VR) and value bytes, items, or pixel fragments. */
export interface ParsedElement {
  readonly tag: number;
  readonly vr: Vr | null;
  /** The value bytes (a view into the input); empty for sequences and encapsulated pixel data. */
  readonly value: Uint8Array;
  /** The items of a sequence (SQ, or an undefined-length UN / implicit element), else null. */
  readonly items: readonly ParsedDataset[] | null;
  /** Encapsulated Pixel Data fragments (the Basic Offset Table first), else null. */
  readonly fragments: readonly Uint8Array[] | null;
}

/** Text decoding shared by a dataset and its items (set from the root's Specific Character Set). */
export interface TextContext {
  decoder: { decode(bytes: Uint8Array): string };
}

/** Elements by tag; the first of duplicated tags wins. */
export interface ParsedDataset {
  readonly elements: ReadonlyMap<number, ParsedElement>;
  readonly text: TextContext;
}

export interface ParsedFile {
  readonly meta: ParsedDataset;
  readonly dataset: ParsedDataset;
  readonly transferSyntaxUid: string;
  /** True when reading stopped at `stopAtTag` (the rest of the file was not read). */
  readonly stopped: boolean;
}

export interface ParseOptions {
  /** Stop before the first top-level element whose tag is at least this (e.g. Pixel Data, 0x7FE00010). */
  readonly stopAtTag?: number;
}

/** Why a file could not be read: details.reason of the BAD_ARGUMENT error parsePart10 throws. */
export type DicomReadFailure = 'not-dicom' | 'damaged' | 'unsupported';

/** Deepest sequence nesting read; real objects nest 4-6 deep (per-frame groups → derivation → codes). */
const MAX_DEPTH = 16;
const PREAMBLE = 128;
const PIXEL_DATA = 0x7fe00010;

function fail(reason: DicomReadFailure, message: string, offset?: number): never {
  throw new VoxlabError(
    'BAD_ARGUMENT',
    `DICOM: ${message}${offset === undefined ? '' : ` (at byte ${offset})`}`,
    { reason, offset },
  );
}

class Cursor {
  readonly view: DataView;
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    pos: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = pos;
  }
  need(n: number, end: number): void {
    if (this.pos + n > end)
      fail(
        'damaged',
        `the data ends inside an element: ${n} more bytes needed, ${end - this.pos} left`,
        this.pos,
      );
  }
  u16(): number {
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(): number {
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  tag(): number {
    return ((this.u16() << 16) | this.u16()) >>> 0;
  }
}

interface Syntax {
  readonly explicit: boolean;
  readonly text: TextContext;
}

/**
 * Reads a Part 10 file ('DICM' at byte 128). BAD_ARGUMENT with details.reason 'not-dicom' (no DICM mark),
 * 'damaged' (lengths or tags that do not fit) or 'unsupported' (Big Endian or Deflated transfer syntax).
 */
export function parsePart10(bytes: Uint8Array, options: ParseOptions = {}): ParsedFile {
  if (!(bytes instanceof Uint8Array)) fail('not-dicom', 'expected the bytes of a file (a Uint8Array)');
  if (
    bytes.length < PREAMBLE + 4 ||
    String.fromCharCode(...bytes.subarray(PREAMBLE, PREAMBLE + 4)) !== 'DICM'
  )
    fail('not-dicom', "not a DICOM Part 10 file: no 'DICM' after the 128-byte preamble");
  const text: TextContext = { decoder: new TextDecoder('windows-1252') };
  const c = new Cursor(bytes, PREAMBLE + 4);
  // The File Meta group is Explicit VR Little Endian whatever the transfer syntax; read it while the group
  // is 0002 rather than trusting its group length.
  const metaElements = new Map<number, ParsedElement>();
  while (c.pos + 4 <= bytes.length && c.view.getUint16(c.pos, true) === 0x0002) {
    const el = readElement(c, bytes.length, { explicit: true, text }, 0);
    if (!metaElements.has(el.tag)) metaElements.set(el.tag, el);
  }
  const meta: ParsedDataset = { elements: metaElements, text };
  const ts = metaElements.get(tagOf('TransferSyntaxUID'));
  if (ts === undefined) fail('damaged', 'the File Meta Information has no Transfer Syntax UID');
  const transferSyntaxUid = ascii(ts.value).replace(/[\0 ]+$/, '');
  if (
    transferSyntaxUid === TRANSFER_SYNTAX.explicitBig ||
    transferSyntaxUid === TRANSFER_SYNTAX.deflatedExplicitLittle
  )
    fail(
      'unsupported',
      `transfer syntax ${transferSyntaxUid} (Big Endian or Deflated) is not read by voxlab`,
    );
  const syntax: Syntax = { explicit: transferSyntaxUid !== TRANSFER_SYNTAX.implicitLittle, text };
  const state = { stopped: false };
  const elements = readElements(c, bytes.length, syntax, 0, false, options.stopAtTag, state);
  const dataset: ParsedDataset = { elements, text };
  text.decoder = textDecoderFor(elements.get(tagOf('SpecificCharacterSet'))?.value);
  return { meta, dataset, transferSyntaxUid, stopped: state.stopped };
}

/** Elements up to `end`, or up to an Item Delimitation Item when `untilDelimiter`. */
function readElements(
  c: Cursor,
  end: number,
  syntax: Syntax,
  depth: number,
  untilDelimiter: boolean,
  stopAtTag: number | undefined,
  state: { stopped: boolean },
): Map<number, ParsedElement> {
  const elements = new Map<number, ParsedElement>();
  while (c.pos < end) {
    c.need(8, end);
    const fullTag = ((c.view.getUint16(c.pos, true) << 16) | c.view.getUint16(c.pos + 2, true)) >>> 0;
    if (fullTag === ITEM_DELIMITER && untilDelimiter) {
      c.pos += 8;
      return elements;
    }
    if (fullTag >>> 16 === 0xfffe)
      fail('damaged', `unexpected ${formatTag(fullTag)} among the elements of a dataset`, c.pos);
    if (stopAtTag !== undefined && depth === 0 && fullTag >= stopAtTag) {
      state.stopped = true;
      return elements;
    }
    const el = readElement(c, end, syntax, depth);
    if (!elements.has(el.tag)) elements.set(el.tag, el);
  }
  if (untilDelimiter) fail('damaged', 'an item of undefined length has no Item Delimitation Item', c.pos);
  return elements;
}

function readElement(c: Cursor, end: number, syntax: Syntax, depth: number): ParsedElement {
  const start = c.pos;
  c.need(8, end);
  const tag = c.tag();
  let vr: Vr | null = null;
  let length: number;
  if (syntax.explicit) {
    const code = String.fromCharCode(c.bytes[c.pos]!, c.bytes[c.pos + 1]!);
    if (!isVr(code))
      fail('damaged', `element ${formatTag(tag)} has no valid VR ("${code.replace(/[^ -~]/g, '?')}")`, start);
    vr = code;
    c.pos += 2;
    if (hasLongLength(vr)) {
      c.need(6, end);
      c.pos += 2;
      length = c.u32();
    } else {
      length = c.u16();
    }
  } else {
    length = c.u32();
  }
  const base = { tag, vr, value: new Uint8Array(0), items: null, fragments: null };
  if (length === UNDEFINED_LENGTH) {
    if (tag === PIXEL_DATA && (vr === 'OB' || vr === 'OW' || vr === null))
      return { ...base, fragments: readFragments(c, end) };
    if (vr === 'SQ' || vr === 'UN' || vr === null) {
      // An undefined-length UN is a sequence encoded in Implicit VR Little Endian (PS3.5 6.2.2 note).
      const inner: Syntax = vr === 'UN' ? { ...syntax, explicit: false } : syntax;
      return { ...base, items: readItems(c, end, inner, depth + 1, true) };
    }
    fail(
      'damaged',
      `element ${formatTag(tag)} (${vr}) has an undefined length, which only sequences may have`,
      start,
    );
  }
  if (c.pos + length > end)
    fail('damaged', `element ${formatTag(tag)} claims ${length} bytes but ${end - c.pos} are left`, start);
  const valueEnd = c.pos + length;
  const looksLikeItems =
    vr === null &&
    length >= 8 &&
    c.view.getUint16(c.pos, true) === 0xfffe &&
    c.view.getUint16(c.pos + 2, true) === 0xe000;
  if (vr === 'SQ' || looksLikeItems) {
    const items = readItems(c, valueEnd, syntax, depth + 1, false);
    c.pos = valueEnd;
    return { ...base, items };
  }
  const value = c.bytes.subarray(c.pos, valueEnd);
  c.pos = valueEnd;
  return { ...base, value };
}

/** Items of a sequence: up to `end` (defined length) or a Sequence Delimitation Item. */
function readItems(
  c: Cursor,
  end: number,
  syntax: Syntax,
  depth: number,
  untilDelimiter: boolean,
): ParsedDataset[] {
  if (depth > MAX_DEPTH) fail('damaged', `sequences nest deeper than ${MAX_DEPTH} levels`, c.pos);
  const items: ParsedDataset[] = [];
  while (c.pos < end) {
    const at = c.pos;
    c.need(8, end);
    const tag = c.tag();
    const length = c.u32();
    if (tag === SEQUENCE_DELIMITER) {
      if (untilDelimiter) return items;
      continue; // tolerated inside a defined-length sequence: it ends nothing
    }
    if (tag !== ITEM) fail('damaged', `expected an item in a sequence, found ${formatTag(tag)}`, at);
    const state = { stopped: false };
    if (length === UNDEFINED_LENGTH) {
      items.push({
        elements: readElements(c, end, syntax, depth, true, undefined, state),
        text: syntax.text,
      });
    } else {
      if (c.pos + length > end)
        fail('damaged', `an item claims ${length} bytes but ${end - c.pos} are left`, at);
      const itemEnd = c.pos + length;
      items.push({
        elements: readElements(c, itemEnd, syntax, depth, false, undefined, state),
        text: syntax.text,
      });
      c.pos = itemEnd;
    }
  }
  if (untilDelimiter)
    fail('damaged', 'a sequence of undefined length has no Sequence Delimitation Item', c.pos);
  return items;
}

/** Encapsulated pixel data: items of defined length up to a Sequence Delimitation Item (PS3.5 A.4). */
function readFragments(c: Cursor, end: number): Uint8Array[] {
  const fragments: Uint8Array[] = [];
  for (;;) {
    const at = c.pos;
    c.need(8, end);
    const tag = c.tag();
    const length = c.u32();
    if (tag === SEQUENCE_DELIMITER) return fragments;
    if (tag !== ITEM || length === UNDEFINED_LENGTH || c.pos + length > end)
      fail('damaged', 'encapsulated pixel data holds something other than fragments of defined length', at);
    fragments.push(c.bytes.subarray(c.pos, c.pos + length));
    c.pos += length;
  }
}
