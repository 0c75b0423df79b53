// Typed reads of parsed elements: text (in the dataset's character set), numbers from DS/IS text, binary
// numbers (US, UL, FL, FD, AT) and sequence items. The caller names the type, so the same call works on
// Explicit and Implicit VR files (Implicit VR files carry no VRs). Absent or empty elements give null / [].

import type { ParsedDataset, ParsedElement } from './decodeDataset.js';
import { tagOf, type Keyword } from './dictionary.js';

function element(ds: ParsedDataset, key: Keyword | number): ParsedElement | undefined {
  return ds.elements.get(typeof key === 'number' ? key : tagOf(key));
}

/** Trailing padding (space or NUL) and leading spaces are not part of a DICOM text value (PS3.5 6.2). */
function trim(s: string): string {
  return s.replace(/^ +/, '').replace(/[ \0]+$/, '');
}

/** The whole text value (all values joined by '\'), trimmed; null when absent or empty. */
export function getText(ds: ParsedDataset, key: Keyword | number): string | null {
  const el = element(ds, key);
  if (el === undefined || el.value.length === 0) return null;
  const s = trim(ds.text.decoder.decode(el.value));
  return s === '' ? null : s;
}

/** The values of a multi-valued text element, each trimmed; [] when absent. */
export function getTexts(ds: ParsedDataset, key: Keyword | number): string[] {
  const el = element(ds, key);
  if (el === undefined || el.value.length === 0) return [];
  return ds.text.decoder.decode(el.value).split('\\').map(trim);
}

/** Numbers of a DS or IS element; null when absent, empty or when any value is not a finite number. */
export function getDecimals(ds: ParsedDataset, key: Keyword | number): number[] | null {
  const values = getTexts(ds, key);
  if (values.length === 0) return null;
  const numbers = values.map((v) => (v === '' ? NaN : Number(v)));
  return numbers.every(Number.isFinite) ? numbers : null;
}

/** The first number of a DS or IS element, or null. */
export function getDecimal(ds: ParsedDataset, key: Keyword | number): number | null {
  return getDecimals(ds, key)?.[0] ?? null;
}

type BinaryType = 'uint16' | 'uint32' | 'float32' | 'float64';
const SIZE: Record<BinaryType, number> = { uint16: 2, uint32: 4, float32: 4, float64: 8 };

/** Little-endian binary numbers (US → 'uint16', UL → 'uint32', FL, FD); [] when absent; a partial tail is ignored. */
export function getBinaryNumbers(ds: ParsedDataset, key: Keyword | number, type: BinaryType): number[] {
  const el = element(ds, key);
  if (el === undefined) return [];
  const view = new DataView(el.value.buffer, el.value.byteOffset, el.value.byteLength);
  const size = SIZE[type];
  const out: number[] = [];
  for (let at = 0; at + size <= el.value.length; at += size) {
    if (type === 'uint16') out.push(view.getUint16(at, true));
    else if (type === 'uint32') out.push(view.getUint32(at, true));
    else if (type === 'float32') out.push(view.getFloat32(at, true));
    else out.push(view.getFloat64(at, true));
  }
  return out;
}

/** The first uint16 (US) value, or null. */
export function getUint16(ds: ParsedDataset, key: Keyword | number): number | null {
  return getBinaryNumbers(ds, key, 'uint16')[0] ?? null;
}

/** AT values as tags (group << 16 | element); [] when absent. */
export function getTags(ds: ParsedDataset, key: Keyword | number): number[] {
  const halves = getBinaryNumbers(ds, key, 'uint16');
  const out: number[] = [];
  for (let i = 0; i + 1 < halves.length; i += 2) out.push(((halves[i]! << 16) | halves[i + 1]!) >>> 0);
  return out;
}

/** The items of a sequence; [] when absent or empty. */
export function getItems(ds: ParsedDataset, key: Keyword | number): readonly ParsedDataset[] {
  return element(ds, key)?.items ?? [];
}

/** The raw value bytes (a view), or null when absent. */
export function getBytes(ds: ParsedDataset, key: Keyword | number): Uint8Array | null {
  return element(ds, key)?.value ?? null;
}
