// A minimal DICOM Part 10 file without pixel data (a Basic Text SR stub) for tests: a series a PACS stores and
// lists but dcm2niix cannot turn into a volume. Explicit VR little endian throughout (PS3.5 section 7.1.2).

const TEXT_SR = '1.2.840.10008.5.1.4.1.1.88.11';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';

/** One element, explicit VR little endian; values padded to even length (NUL for UI, space otherwise). */
function element(group: number, elem: number, vr: string, value: string): Uint8Array {
  let text = value;
  if (text.length % 2 === 1) text += vr === 'UI' ? '\0' : ' ';
  const bytes = new Uint8Array(8 + text.length);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, group, true);
  view.setUint16(2, elem, true);
  bytes[4] = vr.charCodeAt(0);
  bytes[5] = vr.charCodeAt(1);
  view.setUint16(6, text.length, true);
  for (let i = 0; i < text.length; i++) bytes[8 + i] = text.charCodeAt(i);
  return bytes;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * A DICOM file of a text-only series (no pixels) with the given UIDs and descriptive fields; modality 'SR'
 * unless given (another modality makes a series that claims to be images but holds none).
 */
export function tinyDicom(
  uids: { study: string; series: string; sop: string },
  fields: { patientId?: string; patientName?: string; seriesNumber?: number; seriesDescription?: string; modality?: string } = {},
): Uint8Array {
  const dataset = concat([
    element(0x0008, 0x0016, 'UI', TEXT_SR),
    element(0x0008, 0x0018, 'UI', uids.sop),
    element(0x0008, 0x0020, 'DA', '20200101'),
    element(0x0008, 0x0060, 'CS', fields.modality ?? 'SR'),
    element(0x0008, 0x103e, 'LO', fields.seriesDescription ?? 'notes'),
    element(0x0010, 0x0010, 'PN', fields.patientName ?? 'Tiny^Test'),
    element(0x0010, 0x0020, 'LO', fields.patientId ?? 'TINY-1'),
    element(0x0020, 0x000d, 'UI', uids.study),
    element(0x0020, 0x000e, 'UI', uids.series),
    element(0x0020, 0x0011, 'IS', String(fields.seriesNumber ?? 99)),
  ]);
  const metaBody = concat([
    // (0002,0001) File Meta Information Version: OB, 2-byte reserved field and a 4-byte length.
    Uint8Array.from([0x02, 0x00, 0x01, 0x00, 0x4f, 0x42, 0, 0, 2, 0, 0, 0, 0x00, 0x01]),
    element(0x0002, 0x0002, 'UI', TEXT_SR),
    element(0x0002, 0x0003, 'UI', uids.sop),
    element(0x0002, 0x0010, 'UI', EXPLICIT_LE),
  ]);
  const groupLength = new Uint8Array(12);
  const view = new DataView(groupLength.buffer);
  view.setUint16(0, 0x0002, true);
  view.setUint16(2, 0x0000, true);
  groupLength[4] = 0x55; // 'U'
  groupLength[5] = 0x4c; // 'L'
  view.setUint16(6, 4, true);
  view.setUint32(8, metaBody.length, true);
  const preamble = new Uint8Array(132);
  preamble.set([0x44, 0x49, 0x43, 0x4d], 128); // DICM
  return concat([preamble, groupLength, metaBody, dataset]);
}
