// A DICOM dataset to write, by attribute keyword (dcmjs's "naturalized" form, typed): the encoder looks
// each keyword up in DICTIONARY for its tag and VR.

import type { Keyword } from './dictionary.js';
import type { Vr } from './vr.js';

/**
 * One attribute's value:
 * - text VRs: a string or a list of strings (joined with '\'); DS and IS also take numbers (formatted);
 * - US, SS, UL, SL, FL, FD, SV, UV: a number or list of numbers; AT: tags as (group << 16 | element);
 * - OB, OW, OF, UN and other byte VRs: the bytes as stored (little endian);
 * - SQ: the items, each a Dataset;
 * - null: the attribute present with an empty value (DICOM Type 2 "known to be unknown").
 */
export type DicomValue =
  string | readonly string[] | number | readonly number[] | Uint8Array | readonly Dataset[] | null;

/** A value written with a VR other than the dictionary's (Pixel Data as OW for 16-bit pixels). */
export interface TypedValue {
  readonly vr: Vr;
  readonly value: DicomValue;
}

/** Attributes by keyword; absent keys are not written. */
export type Dataset = { readonly [K in Keyword]?: DicomValue | TypedValue };

/** True when `v` is a TypedValue (a plain object with a VR), not one of the plain value forms. */
export function isTypedValue(v: DicomValue | TypedValue | undefined): v is TypedValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}
