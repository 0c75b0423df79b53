// NIfTI datatype codes (nifti1.h NIFTI_TYPE_*) and how voxlab decodes each: component typed array,
// bytes per voxel, and whether a voxel is complex (2 components) or RGB (3 or 4 bytes).

import type { NiftiDatatype } from './types.js';

/** How the voxels of one datatype are laid out on disk. */
export interface DatatypeInfo {
  readonly code: number;
  readonly name: NiftiDatatype;
  /** Bytes per voxel (bitpix / 8). */
  readonly bytes: number;
  /** Bytes per component, the unit of byte swapping (complex64: 4; rgb24: 1). */
  readonly componentBytes: number;
  readonly kind: 'real' | 'complex' | 'rgb' | 'bigint';
}

const TABLE: readonly DatatypeInfo[] = [
  { code: 2, name: 'uint8', bytes: 1, componentBytes: 1, kind: 'real' },
  { code: 256, name: 'int8', bytes: 1, componentBytes: 1, kind: 'real' },
  { code: 4, name: 'int16', bytes: 2, componentBytes: 2, kind: 'real' },
  { code: 512, name: 'uint16', bytes: 2, componentBytes: 2, kind: 'real' },
  { code: 8, name: 'int32', bytes: 4, componentBytes: 4, kind: 'real' },
  { code: 768, name: 'uint32', bytes: 4, componentBytes: 4, kind: 'real' },
  { code: 1024, name: 'int64', bytes: 8, componentBytes: 8, kind: 'bigint' },
  { code: 1280, name: 'uint64', bytes: 8, componentBytes: 8, kind: 'bigint' },
  { code: 16, name: 'float32', bytes: 4, componentBytes: 4, kind: 'real' },
  { code: 64, name: 'float64', bytes: 8, componentBytes: 8, kind: 'real' },
  { code: 32, name: 'complex64', bytes: 8, componentBytes: 4, kind: 'complex' },
  { code: 1792, name: 'complex128', bytes: 16, componentBytes: 8, kind: 'complex' },
  { code: 128, name: 'rgb24', bytes: 3, componentBytes: 1, kind: 'rgb' },
  { code: 2304, name: 'rgba32', bytes: 4, componentBytes: 1, kind: 'rgb' },
];

/** Codes nifti1.h defines that voxlab does not decode: binary (1 bit), float128, complex256. */
export const UNSUPPORTED_DATATYPES: Readonly<Record<number, string>> = {
  1: 'binary (1-bit)',
  1536: 'float128',
  2048: 'complex256',
};

const BY_CODE = new Map(TABLE.map((d) => [d.code, d]));
const BY_NAME = new Map(TABLE.map((d) => [d.name, d]));

/** The datatype for a NIfTI code, or undefined when voxlab does not decode it. */
export function datatypeByCode(code: number): DatatypeInfo | undefined {
  return BY_CODE.get(code);
}

/** The datatype for a name such as 'int16'. */
export function datatypeByName(name: NiftiDatatype): DatatypeInfo {
  const info = BY_NAME.get(name);
  if (info === undefined) throw new RangeError(`datatypeByName: unknown datatype ${name}`);
  return info;
}
