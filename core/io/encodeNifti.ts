// Encodes a 3D image as NIfTI-1 bytes (.nii, or .nii.gz when compressed): little-endian, vox_offset 352,
// no extensions. The sform holds the affine exactly (as float32); the qform holds its closest rotation,
// derived as nibabel's Nifti1Header.set_qform(affine, strip_shears=True) does.

import { gzipSync } from 'node:zlib';
import { VoxlabError } from '../common/errors.js';
import { closestRotation } from '../common/orientation.js';
import type { Affine } from '../common/spaces.js';
import { matToQuat } from './niftiAffine.js';

/** A 3D image to write: Fortran order, i fastest: value(i, j, k) = data[i + nx * (j + ny * k)]. */
export interface NiftiImage {
  readonly shape: readonly [number, number, number];
  readonly data: Uint8Array | Int16Array | Float32Array;
  /** Voxel (i, j, k) → world RAS mm, row-major 4x4. */
  readonly affine: Affine;
}

/** What the image is: 'label' (integer classes, NIFTI_INTENT_LABEL) or 'map' (float values, NIFTI_INTENT_ESTIMATE). */
export interface EncodeNiftiOptions {
  /** Free text, at most 79 ASCII characters (the header's 80-byte descrip field). */
  readonly description?: string;
  readonly intent?: 'label' | 'map';
  /**
   * scl_slope / scl_inter: stored integers mean raw * slope + inter (see castForNifti). Default 1 / 0.
   * Only for integer data; the slope must be finite and non-zero.
   */
  readonly scaling?: { readonly slope: number; readonly inter: number };
  /** gzip the bytes (.nii.gz); default true. */
  readonly compress?: boolean;
}

/** Transform codes written: sform "aligned anatomical" (nibabel's default for a saved affine), qform "scanner anatomical". */
export const WRITTEN_SFORM_CODE = 2;
export const WRITTEN_QFORM_CODE = 1;

const HEADER_BYTES = 348;
const VOX_OFFSET = 352;
const INTENT_CODES = { label: 1002, map: 1001 } as const;
const UNITS_MM = 2;

function datatypeOf(data: NiftiImage['data']): { code: number; bitpix: number } {
  if (data instanceof Uint8Array) return { code: 2, bitpix: 8 };
  if (data instanceof Int16Array) return { code: 4, bitpix: 16 };
  if (data instanceof Float32Array) return { code: 16, bitpix: 32 };
  throw new VoxlabError('BAD_ARGUMENT', 'encodeNifti: data must be a Uint8Array, Int16Array or Float32Array');
}

function checkImage(image: NiftiImage, options: EncodeNiftiOptions): void {
  const { shape, data, affine } = image;
  if (shape.length !== 3 || shape.some((n) => !Number.isInteger(n) || n < 1 || n > 32767)) {
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `encodeNifti: shape must be 3 integers in 1..32767 (NIfTI-1 limit), got [${shape.join(', ')}]`,
    );
  }
  if (data.length !== shape[0] * shape[1] * shape[2]) {
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `encodeNifti: data has ${data.length} values but shape [${shape.join(', ')}] needs ${shape[0] * shape[1] * shape[2]}`,
    );
  }
  if (affine.length !== 16 || affine.some((v) => !Number.isFinite(v))) {
    throw new VoxlabError('BAD_ARGUMENT', `encodeNifti: the affine needs 16 finite numbers`);
  }
  if (options.intent === 'label' && data instanceof Float32Array) {
    throw new VoxlabError(
      'BAD_ARGUMENT',
      'encodeNifti: a label image must hold integers (Uint8Array or Int16Array)',
    );
  }
  const scaling = options.scaling;
  if (scaling && (data instanceof Float32Array || !Number.isFinite(scaling.slope) || scaling.slope === 0 || !Number.isFinite(scaling.inter))) {
    throw new VoxlabError('BAD_ARGUMENT', 'encodeNifti: scaling needs integer data, a finite non-zero slope and a finite intercept');
  }
  if (options.intent === 'map' && !(data instanceof Float32Array)) {
    throw new VoxlabError('BAD_ARGUMENT', 'encodeNifti: a map must hold float32 values (Float32Array)');
  }
}

/**
 * The qform parameters of an affine (nibabel set_qform with strip_shears): voxel sizes are the column
 * norms, qfac -1 when the axes are left-handed (the k column is negated), and the quaternion of the
 * rotation closest to the normalised columns (polar decomposition), so shear is dropped.
 */
export function qformFromAffine(affine: Affine): {
  zooms: number[];
  qfac: 1 | -1;
  quatern: number[];
  qoffset: number[];
} {
  const rzs = [0, 1, 2].map((r) => [affine[r * 4]!, affine[r * 4 + 1]!, affine[r * 4 + 2]!]);
  const zooms = [0, 1, 2].map((c) => Math.hypot(rzs[0]![c]!, rzs[1]![c]!, rzs[2]![c]!));
  if (zooms.some((z) => z === 0))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      'encodeNifti: the affine has a zero column (a voxel axis of no length)',
    );
  const r = rzs.map((row) => row.map((v, c) => v / zooms[c]!));
  const det =
    r[0]![0]! * (r[1]![1]! * r[2]![2]! - r[1]![2]! * r[2]![1]!) -
    r[0]![1]! * (r[1]![0]! * r[2]![2]! - r[1]![2]! * r[2]![0]!) +
    r[0]![2]! * (r[1]![0]! * r[2]![1]! - r[1]![1]! * r[2]![0]!);
  if (!(Math.abs(det) > 1e-12))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      'encodeNifti: the affine is degenerate (its voxel axes do not span 3D space)',
    );
  const qfac = det > 0 ? 1 : -1;
  if (qfac === -1) for (const row of r) row[2] = -row[2]!;
  const [, b, c, d] = matToQuat(closestRotation(r));
  return { zooms, qfac, quatern: [b, c, d], qoffset: [affine[3]!, affine[7]!, affine[11]!] };
}

function writeAscii(bytes: Uint8Array, at: number, length: number, text: string): void {
  const clean = text.replace(/[^\x20-\x7e]/g, '?').slice(0, length - 1);
  for (let n = 0; n < clean.length; n++) bytes[at + n] = clean.charCodeAt(n);
}

function writeHeader(bytes: Uint8Array, image: NiftiImage, options: EncodeNiftiOptions): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, VOX_OFFSET);
  const { code, bitpix } = datatypeOf(image.data);
  const q = qformFromAffine(image.affine);
  view.setInt32(0, HEADER_BYTES, true);
  [3, ...image.shape, 1, 1, 1, 1].forEach((v, n) => view.setInt16(40 + 2 * n, v, true));
  view.setInt16(68, options.intent === undefined ? 0 : INTENT_CODES[options.intent], true);
  view.setInt16(70, code, true);
  view.setInt16(72, bitpix, true);
  [q.qfac, ...q.zooms, 1, 1, 1, 1].forEach((v, n) => view.setFloat32(76 + 4 * n, v, true));
  view.setFloat32(108, VOX_OFFSET, true);
  view.setFloat32(112, options.scaling?.slope ?? 1, true);
  view.setFloat32(116, options.scaling?.inter ?? 0, true);
  view.setUint8(123, UNITS_MM);
  writeAscii(bytes, 148, 80, options.description ?? '');
  view.setInt16(252, WRITTEN_QFORM_CODE, true);
  view.setInt16(254, WRITTEN_SFORM_CODE, true);
  [...q.quatern, ...q.qoffset].forEach((v, n) => view.setFloat32(256 + 4 * n, v, true));
  image.affine.slice(0, 12).forEach((v, n) => view.setFloat32(280 + 4 * n, v, true));
  writeAscii(bytes, 328, 16, options.intent ?? '');
  writeAscii(bytes, 344, 4, 'n+1');
}

/**
 * NIfTI-1 bytes of `image`: uint8 (labels), int16 or float32 voxels after a 352-byte header, gzipped
 * unless `options.compress` is false. Throws BAD_ARGUMENT for a bad shape, data length, affine or
 * intent/datatype mismatch.
 */
export function encodeNifti(image: NiftiImage, options: EncodeNiftiOptions = {}): Uint8Array {
  checkImage(image, options);
  const bytes = new Uint8Array(VOX_OFFSET + image.data.byteLength);
  writeHeader(bytes, image, options);
  const voxels = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  if (littleEndianHost) bytes.set(voxels, VOX_OFFSET);
  else {
    const size = image.data.BYTES_PER_ELEMENT;
    for (let at = 0; at < voxels.length; at++)
      bytes[VOX_OFFSET + at] = voxels[at - (at % size) + size - 1 - (at % size)]!;
  }
  return options.compress === false ? bytes : gzipSync(bytes);
}
