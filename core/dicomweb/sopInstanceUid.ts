// The SOP Instance UID of a DICOM Part 10 file, read from its File Meta Information (group 0002, always
// explicit VR little endian: PS3.10 section 7.1), so that a resumed retrieval knows which instances it holds.

/** VRs with a 2-byte reserved field and a 4-byte length in explicit VR encoding (PS3.5 section 7.1.2). */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

/**
 * MediaStorageSOPInstanceUID (0002,0003) of a Part 10 file (128-byte preamble, `DICM`, meta group), which
 * PS3.10 requires to equal the SOPInstanceUID; null when `bytes` has no readable meta group or lacks it.
 */
export function sopInstanceUidOf(bytes: Uint8Array): string | null {
  if (bytes.length < 132 || String.fromCharCode(bytes[128]!, bytes[129]!, bytes[130]!, bytes[131]!) !== 'DICM') return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 132;
  while (pos + 8 <= bytes.length) {
    const group = view.getUint16(pos, true);
    const element = view.getUint16(pos + 2, true);
    if (group !== 0x0002) return null;
    const vr = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!);
    let length: number;
    let valueAt: number;
    if (LONG_VRS.has(vr)) {
      if (pos + 12 > bytes.length) return null;
      length = view.getUint32(pos + 8, true);
      valueAt = pos + 12;
    } else {
      length = view.getUint16(pos + 6, true);
      valueAt = pos + 8;
    }
    if (length === 0xffffffff || valueAt + length > bytes.length) return null;
    if (element === 0x0003) {
      // UI values are padded to even length with a NUL.
      const uid = new TextDecoder('latin1').decode(bytes.subarray(valueAt, valueAt + length)).replace(/[\0 ]+$/, '');
      return /^[0-9.]+$/.test(uid) ? uid : null;
    }
    pos = valueAt + length;
  }
  return null;
}
