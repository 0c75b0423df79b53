// New DICOM UIDs under the 2.25 root: "2.25." and the decimal value of a random (version 4) UUID, as
// ISO/IEC 9834-8 and DICOM PS3.5 B.2 allow, so no organisation root is needed.

/** A UUID-derived UID (at most 44 characters, within the 64 a UI allows). */
export function newUid(): string {
  return uidFromHex(globalThis.crypto.randomUUID().replace(/-/g, ''));
}

/** "2.25." + the decimal value of 32 hex digits (a UUID without dashes). */
export function uidFromHex(hex: string): string {
  return `2.25.${BigInt(`0x${hex}`).toString(10)}`;
}

/**
 * voxlab's Implementation Class UID for the File Meta Information (PS3.7 D.3.3.2): fixed, derived once from
 * the UUID 0b5c3d9e-7a41-4c2f-9e61-5f0a9d2b7c13 chosen for voxlab.
 */
export const IMPLEMENTATION_CLASS_UID = uidFromHex('0b5c3d9e7a414c2f9e615f0a9d2b7c13');
/** Implementation Version Name (SH, at most 16 characters). */
export const IMPLEMENTATION_VERSION_NAME = 'VOXLAB_0.1';
