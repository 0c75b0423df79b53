// Text decoding of DICOM values: the Specific Character Set (0008,0005) defined terms mapped to the
// WHATWG encodings TextDecoder knows (PS3.3 C.12.1.1.2; PS3.5 6.1).

/** Single-byte decoding for UIDs and code strings (ASCII in any DICOM character set). */
const latin1 = new TextDecoder('windows-1252');

/** Bytes as single-byte characters: no spread of arguments, so any length is safe. */
export function ascii(bytes: Uint8Array): string {
  return latin1.decode(bytes);
}

/** DICOM defined terms (spaces as underscores) → WHATWG encoding labels. */
const CHARSETS: Readonly<Record<string, string>> = {
  ISO_IR_100: 'windows-1252',
  ISO_IR_101: 'iso-8859-2',
  ISO_IR_109: 'iso-8859-3',
  ISO_IR_110: 'iso-8859-4',
  ISO_IR_144: 'iso-8859-5',
  ISO_IR_127: 'iso-8859-6',
  ISO_IR_126: 'iso-8859-7',
  ISO_IR_138: 'iso-8859-8',
  ISO_IR_148: 'windows-1254',
  ISO_IR_203: 'iso-8859-15',
  ISO_IR_166: 'windows-874',
  ISO_IR_13: 'shift_jis',
  ISO_IR_192: 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

/**
 * The decoder for a Specific Character Set value (its first non-empty term; "ISO 2022 IR n" read as
 * "ISO_IR n" without code extensions). Absent, default and unknown sets: windows-1252, a superset of
 * ASCII and Latin-1.
 */
export function textDecoderFor(specificCharacterSet: Uint8Array | undefined): {
  decode(bytes: Uint8Array): string;
} {
  const terms =
    specificCharacterSet === undefined
      ? []
      : ascii(specificCharacterSet)
          .split('\\')
          .map((t) => t.trim());
  const first = (terms.find((t) => t !== '') ?? '').replace(/^ISO 2022 IR /, 'ISO_IR ').replace(' ', '_');
  return new TextDecoder(CHARSETS[first] ?? 'windows-1252');
}
