// A strict reader for the zip archives torch.save writes (PyTorch >= 1.6): entries STORED (uncompressed),
// padded to 64-byte alignment through the local headers' extra field, sizes in the central directory
// (the local headers carry a data descriptor flag and zeros). ZIP64 fields are honoured. Everything is
// bounds-checked against the file; entries are views of the input, checked against their CRC-32 on read.
// Format: PKWARE APPNOTE.TXT 6.3 (sections 4.3.7 local header, 4.3.12 central header, 4.3.14-16 EOCD).

import { crc32 } from 'node:zlib';
import { checkpointError } from './checkpointError.js';

/** One stored entry: where its data lies in the archive and its CRC-32. */
export interface ZipEntry {
  readonly name: string;
  readonly dataOffset: number;
  readonly size: number;
  readonly crc: number;
}

/** A zip archive's entries by name; `read` returns a view of an entry's bytes after checking its CRC. */
export interface ZipArchive {
  readonly entries: ReadonlyMap<string, ZipEntry>;
  read(name: string): Uint8Array;
}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD_SIZE = 22;
/** A 16-bit or 32-bit field at its maximum says "see the ZIP64 record". */
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;
const STORED = 0;

/** True when `bytes` start with a zip local header ("PK\3\4"). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * Reads the central directory of `bytes`. Throws WEIGHTS_INVALID (messages start with `name`) for a file
 * that is not a zip, is truncated, spans disks, is encrypted, holds a compressed entry (torch.save never
 * compresses) or repeats a name.
 */
export function readZip(bytes: Uint8Array, name: string): ZipArchive {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (message: string) => checkpointError(name, `damaged zip archive: ${message}`, 'zip');
  const u16 = (at: number) => (at + 2 <= bytes.length ? view.getUint16(at, true) : outside(at));
  const u32 = (at: number) => (at + 4 <= bytes.length ? view.getUint32(at, true) : outside(at));
  const u64 = (at: number) => {
    if (at + 8 > bytes.length) return outside(at);
    const v = view.getBigUint64(at, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw fail(`a 64-bit size or offset (${v}) is impossibly large`);
    return Number(v);
  };
  function outside(at: number): never {
    throw fail(`a record at byte ${at} runs past the end of the ${bytes.length}-byte file (truncated?)`);
  }

  const eocd = findEocd(bytes, view);
  if (eocd < 0) throw fail('no end-of-central-directory record (truncated, or not a zip file)');
  let count = u16(eocd + 10);
  let cdSize = u32(eocd + 12);
  let cdOffset = u32(eocd + 16);
  if (u16(eocd + 4) !== 0 || u16(eocd + 6) !== 0) throw fail('the archive spans several disks');
  if (count === U16_MAX || cdSize === U32_MAX || cdOffset === U32_MAX) {
    const locator = eocd - 20;
    if (locator < 0 || u32(locator) !== EOCD64_LOCATOR) throw fail('ZIP64 sizes without a ZIP64 locator');
    const record = u64(locator + 8);
    if (u32(record) !== EOCD64) throw fail(`no ZIP64 end-of-central-directory record at byte ${record}`);
    count = u64(record + 32);
    cdSize = u64(record + 40);
    cdOffset = u64(record + 48);
  }
  if (cdOffset + cdSize > bytes.length)
    throw fail(`the central directory [${cdOffset}, +${cdSize}] lies outside the ${bytes.length}-byte file`);
  // Each central header takes at least 46 bytes: a larger count is a lie, caught before looping on it.
  if (count * 46 > cdSize) throw fail(`${count} entries cannot fit a ${cdSize}-byte central directory`);

  const entries = new Map<string, ZipEntry>();
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (u32(at) !== CENTRAL) throw fail(`entry ${i} of the central directory has a bad signature`);
    const flags = u16(at + 8);
    const method = u16(at + 10);
    const crc = u32(at + 16);
    let compressed = u32(at + 20);
    let size = u32(at + 24);
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    let localOffset = u32(at + 42);
    const nameAt = at + 46;
    const extraAt = nameAt + nameLength;
    const next = extraAt + extraLength + commentLength;
    if (next > cdOffset + cdSize) throw fail(`entry ${i} runs past the central directory`);
    const entryName = decodeName(bytes.subarray(nameAt, extraAt), fail);
    if ((flags & 0x1) !== 0) throw fail(`${entryName} is encrypted`);
    if (method !== STORED)
      throw checkpointError(
        name,
        `the archive entry ${entryName} is compressed (method ${method}); torch.save stores entries uncompressed, so this is not a file torch.save wrote`,
        'zip-compressed',
      );
    const zip64 = readZip64Extra(view, extraAt, extraLength, { size, compressed, localOffset }, fail);
    ({ size, compressed, localOffset } = zip64);
    if (compressed !== size) throw fail(`${entryName} is stored but its sizes differ (${compressed} vs ${size})`);
    if (entries.has(entryName)) throw fail(`the name ${entryName} appears twice`);
    const dataOffset = localData(localOffset, entryName);
    if (dataOffset + size > cdOffset)
      throw fail(`${entryName} ([${dataOffset}, +${size}]) runs into the central directory at ${cdOffset}`);
    entries.set(entryName, { name: entryName, dataOffset, size, crc });
    at = next;
  }

  /** Where the data of the entry whose local header is at `offset` starts (after its name and extra). */
  function localData(offset: number, entryName: string): number {
    if (u32(offset) !== LOCAL) throw fail(`no local header for ${entryName} at byte ${offset}`);
    const nameLength = u16(offset + 26);
    const start = offset + 30 + nameLength + u16(offset + 28);
    if (start > bytes.length) outside(offset);
    const localName = decodeName(bytes.subarray(offset + 30, offset + 30 + nameLength), fail);
    if (localName !== entryName) throw fail(`the local header at ${offset} names ${localName}, not ${entryName}`);
    return start;
  }

  return {
    entries,
    read(entryName) {
      const entry = entries.get(entryName);
      if (entry === undefined) throw checkpointError(name, `the archive has no entry ${entryName}`, 'zip-missing');
      const data = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.size);
      if (crc32(data) >>> 0 !== entry.crc >>> 0) throw fail(`${entryName} fails its CRC-32 check (damaged data)`);
      return data;
    },
  };
}

/** The last EOCD signature in the file's final 64 KiB + 22 bytes (the comment is at most 65535), or -1. */
function findEocd(bytes: Uint8Array, view: DataView): number {
  const last = bytes.length - EOCD_SIZE;
  for (let at = last; at >= 0 && at >= last - U16_MAX; at--) {
    if (view.getUint32(at, true) === EOCD && at + EOCD_SIZE + view.getUint16(at + 20, true) === bytes.length)
      return at;
  }
  return -1;
}

interface Sizes {
  readonly size: number;
  readonly compressed: number;
  readonly localOffset: number;
}

/** Applies the ZIP64 extra field (id 1): 8-byte values for whichever 32-bit fields are at their maximum, in order. */
function readZip64Extra(
  view: DataView,
  at: number,
  length: number,
  sizes: Sizes,
  fail: (message: string) => Error,
): Sizes {
  const end = at + length;
  while (at + 4 <= end) {
    const id = view.getUint16(at, true);
    const fieldLength = view.getUint16(at + 2, true);
    const data = at + 4;
    if (data + fieldLength > end) throw fail('an extra field runs past its entry');
    if (id === 1) {
      let p = data;
      const take = (value: number): number => {
        if (value !== U32_MAX) return value;
        if (p + 8 > data + fieldLength) throw fail('a ZIP64 extra field is too short');
        const v = view.getBigUint64(p, true);
        p += 8;
        if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw fail(`a ZIP64 value (${v}) is impossibly large`);
        return Number(v);
      };
      const size = take(sizes.size);
      const compressed = take(sizes.compressed);
      return { size, compressed, localOffset: take(sizes.localOffset) };
    }
    at = data + fieldLength;
  }
  return sizes;
}

function decodeName(raw: Uint8Array, fail: (message: string) => Error): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw fail('an entry name is not valid UTF-8');
  }
}
