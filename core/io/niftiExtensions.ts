// NIfTI header extensions: after the fixed header come 4 "extender" bytes (byte 0 non-zero = extensions
// follow), then blocks of [esize int32, ecode int32, esize - 8 bytes of payload] up to the voxels
// (nibabel Nifti1Extensions.from_fileobj). Parsed with bounds checks: a bad size cannot loop or overrun.

import { VoxlabError } from '../common/errors.js';
import type { RawNiftiHeader } from './niftiHeader.js';

/** One extension: its NIfTI ecode (e.g. 4 AFNI, 6 comment, 32 CIFTI) and payload size in bytes. */
export interface NiftiExtension {
  readonly code: number;
  readonly size: number;
}

/**
 * Lists the extensions in `bytes` (which start at the header) between the extender and `end` (the voxel
 * offset of a single file, the length of a .hdr file). Throws NIFTI_CORRUPT for an extension whose size
 * is below 8 bytes or runs past `end`.
 */
export function parseExtensions(
  bytes: Uint8Array,
  raw: RawNiftiHeader,
  end: number,
  name: string,
): NiftiExtension[] {
  const extender = raw.headerBytes;
  const stop = Math.min(end, bytes.length);
  if (stop < extender + 4 || bytes[extender] === 0) return [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const extensions: NiftiExtension[] = [];
  let at = extender + 4;
  // nibabel reads while at least 16 bytes remain (an extension is a multiple of 16 bytes).
  while (stop - at >= 16) {
    const esize = view.getInt32(at, raw.littleEndian);
    const code = view.getInt32(at + 4, raw.littleEndian);
    if (esize < 8 || at + esize > stop) {
      throw new VoxlabError(
        'NIFTI_CORRUPT',
        `${name}: header extension ${extensions.length + 1} at byte ${at} claims ${esize} bytes, but only ${stop - at} remain before the voxels`,
        { name },
      );
    }
    extensions.push({ code, size: esize - 8 });
    at += esize;
  }
  return extensions;
}
