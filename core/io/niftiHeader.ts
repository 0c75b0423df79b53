// Recognises a NIfTI-1 or NIfTI-2 header (version, byte order, single file or .hdr/.img pair) and reads
// its fields with nifti-reader-js. No validation of the values here: see niftiLayout.ts.

import { NIFTI1, NIFTI2 } from 'nifti-reader-js';
import { VoxlabError } from '../common/errors.js';

/** The header fields voxlab uses, as stored (no fixes applied). Lengths and offsets in bytes. */
export interface RawNiftiHeader {
  readonly version: 1 | 2;
  readonly littleEndian: boolean;
  /** 348 (NIfTI-1) or 540 (NIfTI-2). */
  readonly headerBytes: number;
  /** True for the header of a .hdr/.img pair (magic 'ni1' / 'ni2'), false for a single file ('n+1' / 'n+2'). */
  readonly pair: boolean;
  /** dim[0..7]: dim[0] is the number of dimensions. */
  readonly dim: readonly number[];
  readonly datatypeCode: number;
  readonly bitpix: number;
  /** pixdim[0..7]: pixdim[0] is qfac, pixdim[1..3] voxel sizes. */
  readonly pixdim: readonly number[];
  readonly voxOffset: number;
  readonly sclSlope: number;
  readonly sclInter: number;
  readonly qformCode: number;
  readonly sformCode: number;
  /** quatern_b, quatern_c, quatern_d. */
  readonly quatern: readonly [number, number, number];
  /** qoffset_x, qoffset_y, qoffset_z in mm. */
  readonly qoffset: readonly [number, number, number];
  /** srow_x, srow_y, srow_z: the first three rows of the sform, row-major. */
  readonly srow: readonly number[];
  readonly intentCode: number;
  readonly description: string;
  readonly xyztUnits: number;
}

const SINGLE_MAGIC = { 1: 'n+1', 2: 'n+2' } as const;
const PAIR_MAGIC = { 1: 'ni1', 2: 'ni2' } as const;
/** NIfTI-2 magic bytes 4..7 after the 3 letters and NUL: "\r\n\032\n", a check against text-mode transfers. */
const NIFTI2_EOL = [13, 10, 26, 10];

/** Version and byte order from sizeof_hdr (the first 4 bytes), or undefined when it is not NIfTI. */
export function sniffNifti(bytes: Uint8Array): { version: 1 | 2; littleEndian: boolean } | undefined {
  if (bytes.length < 4) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 4);
  for (const littleEndian of [true, false]) {
    const size = view.getInt32(0, littleEndian);
    if (size === 348) return { version: 1, littleEndian };
    if (size === 540) return { version: 2, littleEndian };
  }
  return undefined;
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

/** Checks the magic string; returns whether this is the header of a pair. */
function checkMagic(bytes: Uint8Array, version: 1 | 2, name: string): boolean {
  const at = version === 1 ? 344 : 4;
  const magic = ascii(bytes, at, at + 4);
  const pair = magic === `${PAIR_MAGIC[version]}\0`;
  if (!pair && magic !== `${SINGLE_MAGIC[version]}\0`) {
    throw new VoxlabError(
      'NOT_NIFTI',
      `${name} is not a NIfTI-${version} file: its magic string is ${JSON.stringify(magic)} (an Analyze 7.5 file or damaged)`,
      { name },
    );
  }
  if (version === 2) {
    const eol = [...bytes.subarray(8, 12)];
    const zero = eol.every((b) => b === 0);
    if (!zero && eol.some((b, i) => b !== NIFTI2_EOL[i])) {
      throw new VoxlabError(
        'NIFTI_CORRUPT',
        `${name}: the NIfTI-2 magic has wrong line-ending bytes (was the file transferred as text?)`,
        { name },
      );
    }
  }
  return pair;
}

/** srow_x/y/z of a NIfTI-1 header: float32 at bytes 280..327 (nifti-reader-js keeps them only when it picks the sform). */
function nifti1Srow(bytes: Uint8Array, littleEndian: boolean): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset + 280, 48);
  return Array.from({ length: 12 }, (_, n) => view.getFloat32(n * 4, littleEndian));
}

/**
 * Reads the fixed header (348 or 540 bytes) at the start of `bytes`. Throws NOT_NIFTI when sizeof_hdr or
 * the magic are wrong, NIFTI_TRUNCATED when the bytes end inside the header.
 */
export function parseNiftiHeader(bytes: Uint8Array, name: string): RawNiftiHeader {
  const sniff = sniffNifti(bytes);
  if (sniff === undefined) {
    throw new VoxlabError(
      'NOT_NIFTI',
      `${name} is not a NIfTI file: its first 4 bytes are not a NIfTI header size (348 or 540)`,
      { name },
    );
  }
  const { version, littleEndian } = sniff;
  const headerBytes = version === 1 ? 348 : 540;
  if (bytes.length < headerBytes) {
    throw new VoxlabError(
      'NIFTI_TRUNCATED',
      `${name} ends after ${bytes.length} bytes, inside its ${headerBytes}-byte NIfTI-${version} header`,
      { name },
    );
  }
  const pair = checkMagic(bytes, version, name);
  // Give the library exactly the fixed header, so that it does not parse extensions (we do, with bounds checks).
  const block = new Uint8Array(bytes.subarray(0, headerBytes)).buffer; // a copy: Buffer.slice would share the whole file
  const h = version === 1 ? new NIFTI1() : new NIFTI2();
  h.readHeader(block);
  const srow = version === 1 ? nifti1Srow(bytes, littleEndian) : h.affine.slice(0, 3).flat();
  return {
    version,
    littleEndian,
    headerBytes,
    pair,
    dim: [...h.dims],
    datatypeCode: h.datatypeCode,
    bitpix: h.numBitsPerVoxel,
    pixdim: [...h.pixDims],
    voxOffset: h.vox_offset,
    sclSlope: h.scl_slope,
    sclInter: h.scl_inter,
    qformCode: h.qform_code,
    sformCode: h.sform_code,
    quatern: [h.quatern_b, h.quatern_c, h.quatern_d],
    qoffset: [h.qoffset_x, h.qoffset_y, h.qoffset_z],
    srow,
    intentCode: h.intent_code,
    description: h.description,
    xyztUnits: h.xyzt_units,
  };
}
