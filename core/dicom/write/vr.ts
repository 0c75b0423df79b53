// DICOM value representations (VRs): which length field each has in Explicit VR and how its values are
// padded to an even length. Source: DICOM PS3.5 2024 section 6.2 (Table 6.2-1) and section 7.1.2.

/** The VRs voxlab reads and writes (all of PS3.5 Table 6.2-1). */
export const VRS = [
  'AE',
  'AS',
  'AT',
  'CS',
  'DA',
  'DS',
  'DT',
  'FD',
  'FL',
  'IS',
  'LO',
  'LT',
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'PN',
  'SH',
  'SL',
  'SQ',
  'SS',
  'ST',
  'SV',
  'TM',
  'UC',
  'UI',
  'UL',
  'UN',
  'UR',
  'US',
  'UT',
  'UV',
] as const;
export type Vr = (typeof VRS)[number];

const VR_SET: ReadonlySet<string> = new Set(VRS);

/** True when `s` names a VR. */
export function isVr(s: string): s is Vr {
  return VR_SET.has(s);
}

/**
 * VRs whose Explicit VR header is VR, 2 reserved bytes and a 4-byte length (PS3.5 7.1.2); all others
 * have a 2-byte length (so at most 65534 bytes of value).
 */
const LONG_LENGTH: ReadonlySet<Vr> = new Set([
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'SQ',
  'SV',
  'UC',
  'UN',
  'UR',
  'UT',
  'UV',
]);

export function hasLongLength(vr: Vr): boolean {
  return LONG_LENGTH.has(vr);
}

/** Character-string VRs (values are text, several values joined by a backslash except in LT/ST/UT/UR). */
const TEXT: ReadonlySet<Vr> = new Set([
  'AE',
  'AS',
  'CS',
  'DA',
  'DS',
  'DT',
  'IS',
  'LO',
  'LT',
  'PN',
  'SH',
  'ST',
  'TM',
  'UC',
  'UI',
  'UR',
  'UT',
]);

export function isTextVr(vr: Vr): boolean {
  return TEXT.has(vr);
}

/** Text VRs that hold one value, backslash included (PS3.5 Table 6.2-1: LT, ST, UT, UR). */
export function isSingleValuedText(vr: Vr): boolean {
  return vr === 'LT' || vr === 'ST' || vr === 'UT' || vr === 'UR';
}

/** The byte that pads an odd-length value: NUL for UI and binary VRs, space for other text (PS3.5 6.2). */
export function paddingByte(vr: Vr): number {
  return isTextVr(vr) && vr !== 'UI' ? 0x20 : 0x00;
}

/** Bytes per number of the binary numeric VRs (AT is a pair of uint16: group, element). */
export const NUMERIC_SIZE: Readonly<Partial<Record<Vr, number>>> = {
  US: 2,
  SS: 2,
  UL: 4,
  SL: 4,
  FL: 4,
  FD: 8,
  AT: 4,
  SV: 8,
  UV: 8,
};

/** Most bytes one value of each length-limited text VR may have (PS3.5 Table 6.2-1), for checks on write. */
export const MAX_TEXT_LENGTH: Readonly<Partial<Record<Vr, number>>> = {
  AE: 16,
  AS: 4,
  CS: 16,
  DA: 8,
  DS: 16,
  IS: 12,
  LO: 64,
  PN: 64,
  SH: 16,
  TM: 14,
  UI: 64,
};
