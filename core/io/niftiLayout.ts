// Checks a raw NIfTI header and works out what it describes: shape, frames, datatype, where the voxels
// are and how many bytes they take, scaling and affine. Every impossible value becomes a typed
// VoxlabError here, before any voxel memory is allocated. Fixes follow nibabel 5.0's header checks.

import { VoxlabError } from '../common/errors.js';
import { ioOrientation, orntToAxcodes } from '../common/orientation.js';
import type { Affine, Axcodes } from '../common/spaces.js';
import { datatypeByCode, UNSUPPORTED_DATATYPES, type DatatypeInfo } from './datatypes.js';
import { fixedXformCode, niftiAffine } from './niftiAffine.js';
import type { RawNiftiHeader } from './niftiHeader.js';
import type { NiftiHeaderInfo } from './types.js';

/** Default cap on the bytes one image may need (header + all voxels as stored): 2 GiB. */
export const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;

/** Everything needed to decode the voxels of a checked header. */
export interface NiftiLayout {
  readonly raw: RawNiftiHeader;
  readonly datatype: DatatypeInfo;
  /** nibabel's shape: dim[1..dim[0]]. */
  readonly shape: readonly number[];
  /** Spatial shape [nx, ny, nz] (padded with 1 for 1D/2D images). */
  readonly shape3: readonly [number, number, number];
  /** Number of 3D volumes (dim[4], 1 for 3D images). */
  readonly frames: number;
  /** Byte offset of the first voxel in the data bytes (the file, or the .img of a pair). */
  readonly voxOffset: number;
  /** Bytes of one 3D volume and of all volumes, as stored. */
  readonly frameBytes: number;
  readonly dataBytes: number;
  /** Effective scaling, value = raw * slope + inter (1 and 0 when the header has none). */
  readonly slope: number;
  readonly inter: number;
  /** Voxel sizes after nibabel's fixes (zero → 1, negative → absolute), mm. */
  readonly vox: readonly [number, number, number];
  readonly affine: Affine;
  readonly axcodes: Axcodes;
}

/** CIFTI-2 intent codes (NIFTI_INTENT_CONNECTIVITY_*, 3000-3099): grayordinate data in a NIfTI-2 container. */
const CIFTI_INTENTS = { min: 3000, max: 3099 };

const UNIT_NAMES: Readonly<Record<number, string>> = {
  0: 'unknown',
  1: 'meter',
  2: 'mm',
  3: 'micron',
  8: 'sec',
  16: 'msec',
  24: 'usec',
  32: 'hz',
  40: 'ppm',
  48: 'rads',
};

function corrupt(name: string, what: string, details?: Record<string, unknown>): VoxlabError {
  return new VoxlabError('NIFTI_CORRUPT', `${name}: ${what}`, { name, ...details });
}

/** nibabel's shape, after checking dim[0] and that every axis length is a positive integer. */
function checkShape(raw: RawNiftiHeader, name: string): number[] {
  const ndim = raw.dim[0]!;
  if (!Number.isInteger(ndim) || ndim < 1 || ndim > 7)
    throw corrupt(name, `dim[0] is ${ndim}; it must be the number of dimensions, 1 to 7`);
  const shape = raw.dim.slice(1, ndim + 1);
  if (shape.some((n) => !Number.isSafeInteger(n) || n < 1))
    throw corrupt(name, `the header gives impossible axis lengths [${shape.join(', ')}]`);
  return shape;
}

/** Refuses CIFTI and other non-volume data with a sentence a user can act on. */
function checkIsVolume(raw: RawNiftiHeader, shape: readonly number[], name: string): void {
  const dims = shape.join('x');
  if (raw.intentCode >= CIFTI_INTENTS.min && raw.intentCode <= CIFTI_INTENTS.max) {
    throw new VoxlabError(
      'NOT_A_VOLUME',
      `${name} is a CIFTI file (intent code ${raw.intentCode}, dimensions ${dims}): it holds surface or grayordinate data, not a 3D image. voxlab opens 3D and 4D volumes.`,
      { name, intentCode: raw.intentCode, shape },
    );
  }
  if (shape.slice(4).some((n) => n > 1)) {
    throw new VoxlabError(
      'NOT_A_VOLUME',
      `${name} has ${shape.length} dimensions (${dims}); voxlab opens 3D images and 4D series of them, not 5D+ data.`,
      { name, shape },
    );
  }
  const spatial = (shape[0] ?? 1) * (shape[1] ?? 1) * (shape[2] ?? 1);
  if (spatial === 1 && shape.some((n) => n > 1)) {
    throw new VoxlabError(
      'NOT_A_VOLUME',
      `${name} has a 1x1x1 spatial grid with ${dims} values: it is a table or signal, not a 3D image.`,
      { name, shape },
    );
  }
}

function checkDatatype(raw: RawNiftiHeader, name: string): DatatypeInfo {
  const datatype = datatypeByCode(raw.datatypeCode);
  if (datatype === undefined) {
    const known = UNSUPPORTED_DATATYPES[raw.datatypeCode];
    const what =
      known === undefined
        ? `an unknown datatype code ${raw.datatypeCode}`
        : `datatype ${known} (code ${raw.datatypeCode})`;
    throw new VoxlabError('NIFTI_UNSUPPORTED', `${name} uses ${what}, which voxlab cannot read`, {
      name,
      datatypeCode: raw.datatypeCode,
    });
  }
  if (raw.bitpix !== datatype.bytes * 8) {
    throw corrupt(
      name,
      `bitpix is ${raw.bitpix} but datatype ${datatype.name} has ${datatype.bytes * 8} bits per voxel`,
    );
  }
  return datatype;
}

/** Voxel sizes with nibabel's _chk_pixdims fixes; NaN or infinite sizes are NIFTI_CORRUPT. */
function checkVoxelSizes(raw: RawNiftiHeader, name: string): [number, number, number] {
  const vox = [1, 2, 3].map((n) => raw.pixdim[n]!);
  if (vox.some((v) => !Number.isFinite(v)))
    throw corrupt(name, `the voxel sizes (pixdim) are not finite numbers: [${vox.join(', ')}]`);
  return vox.map((v) => (v === 0 ? 1 : Math.abs(v))) as [number, number, number];
}

function checkVoxOffset(raw: RawNiftiHeader, name: string): number {
  const offset = raw.voxOffset;
  const min = raw.pair ? 0 : raw.headerBytes;
  if (!Number.isFinite(offset) || offset < min || offset > Number.MAX_SAFE_INTEGER) {
    throw corrupt(
      name,
      `vox_offset is ${offset}; the voxels of a ${raw.pair ? '.hdr/.img pair' : 'single-file NIfTI'} must start at byte ${min} or later`,
    );
  }
  return Math.floor(offset);
}

/** nibabel get_slope_inter: slope 0 or not finite → no scaling. A non-finite intercept is taken as 0 (nibabel raises). */
function scaling(raw: RawNiftiHeader): { slope: number; inter: number } {
  if (raw.sclSlope === 0 || !Number.isFinite(raw.sclSlope)) return { slope: 1, inter: 0 };
  return { slope: raw.sclSlope, inter: Number.isFinite(raw.sclInter) ? raw.sclInter : 0 };
}

/** Multiplies sizes, failing with TOO_LARGE as soon as the running product passes `max`. */
function checkedBytes(counts: readonly number[], max: number, name: string): number {
  let total = 1;
  for (const n of counts) {
    total *= n;
    if (total > max) {
      throw new VoxlabError(
        'TOO_LARGE',
        `${name} would need more than ${max} bytes (${counts.slice(0, -1).join('x')} voxels of ${counts.at(-1)} bytes); voxlab's limit for one image is ${max} bytes`,
        { name, maxBytes: max },
      );
    }
  }
  return total;
}

/** Axis codes of the affine; a voxel axis without a direction (nearly parallel columns) is NIFTI_CORRUPT. */
function checkedAxcodes(affine: Affine, source: string, name: string): Axcodes {
  const ornt = ioOrientation(affine);
  if (ornt.some(([axis]) => Number.isNaN(axis))) {
    throw corrupt(
      name,
      `the ${source} affine in the header is degenerate: two voxel axes point the same way`,
      {
        affine: [...affine],
      },
    );
  }
  return orntToAxcodes(ornt);
}

/**
 * Checks `raw` and returns its layout. `maxBytes` caps header + voxel bytes. Throws NIFTI_CORRUPT,
 * NIFTI_UNSUPPORTED, NOT_A_VOLUME or TOO_LARGE.
 */
export function niftiLayout(
  raw: RawNiftiHeader,
  name: string,
  maxBytes: number = DEFAULT_MAX_BYTES,
): NiftiLayout {
  const shape = checkShape(raw, name);
  checkIsVolume(raw, shape, name);
  const datatype = checkDatatype(raw, name);
  const vox = checkVoxelSizes(raw, name);
  const voxOffset = checkVoxOffset(raw, name);
  const shape3 = [shape[0] ?? 1, shape[1] ?? 1, shape[2] ?? 1] as const;
  const frames = shape[3] ?? 1;
  const dataBytes = checkedBytes(
    [...shape3, frames, datatype.bytes],
    Math.max(0, maxBytes - voxOffset),
    name,
  );
  checkedBytes([...shape3, Float32Array.BYTES_PER_ELEMENT], maxBytes, name); // the decoded float32 volume
  const { affine, source } = niftiAffine(raw, vox, shape3, name);
  const axcodes = checkedAxcodes(affine, source, name);
  return {
    raw,
    datatype,
    shape,
    shape3,
    frames,
    voxOffset,
    frameBytes: dataBytes / frames,
    dataBytes,
    ...scaling(raw),
    vox,
    affine,
    axcodes,
  };
}

/** The header facts of a layout, as nibabel reports them (see NiftiHeaderInfo). */
export function headerInfo(layout: NiftiLayout, extensions: NiftiHeaderInfo['extensions']): NiftiHeaderInfo {
  const { raw } = layout;
  return {
    niftiVersion: raw.version,
    datatype: layout.datatype.name,
    endianness: raw.littleEndian ? 'little' : 'big',
    shape: layout.shape,
    pixdim: layout.vox,
    sformCode: fixedXformCode(raw.sformCode),
    qformCode: fixedXformCode(raw.qformCode),
    sclSlope: layout.slope,
    sclInter: layout.inter,
    extensions,
    description: raw.description,
    spatialUnits: UNIT_NAMES[raw.xyztUnits & 0x07] ?? 'unknown',
    temporalUnits: UNIT_NAMES[raw.xyztUnits & 0x38] ?? 'unknown',
  };
}
