// Turns the stored voxels of one 3D volume into scaled float32 values. Little-endian data of an aligned
// offset is viewed in place; other data is byte-swapped or copied once, then converted by the engine's
// native TypedArray.set and scaled in one tight Float32Array loop (no per-voxel closures or DataViews,
// except for the rare 64-bit integers).

import type { DatatypeInfo } from './datatypes.js';
import type { NiftiLayout } from './niftiLayout.js';

type Component =
  Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;
type ComponentCtor = new (buffer: ArrayBufferLike, byteOffset?: number, length?: number) => Component;

const COMPONENT_CTORS: Readonly<Record<string, ComponentCtor>> = {
  uint8: Uint8Array,
  int8: Int8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
  complex64: Float32Array,
  complex128: Float64Array,
  rgb24: Uint8Array,
  rgba32: Uint8Array,
};

/** True on little-endian hosts (all current x86 and ARM machines). */
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Rec. 601 luma weights: RGB voxels become one grey value. */
const LUMA = [0.299, 0.587, 0.114] as const;

/** Copy of `bytes` with every `size`-byte component reversed (big ↔ little endian). */
function byteSwapped(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let at = 0; at < bytes.length; at += size) {
    for (let k = 0; k < size; k++) out[at + k] = bytes[at + size - 1 - k]!;
  }
  return out;
}

/** The components of `bytes` as a typed array in host byte order, viewing in place when possible. */
function components(bytes: Uint8Array, datatype: DatatypeInfo, littleEndian: boolean): Component {
  const Ctor = COMPONENT_CTORS[datatype.name]!;
  const size = datatype.componentBytes;
  const swap = size > 1 && littleEndian !== HOST_LITTLE_ENDIAN;
  if (!swap && bytes.byteOffset % size === 0)
    return new Ctor(bytes.buffer, bytes.byteOffset, bytes.length / size);
  const copy = swap ? byteSwapped(bytes, size) : new Uint8Array(bytes); // a copy (Buffer.slice would be a view)
  return new Ctor(copy.buffer, 0, copy.length / size);
}

function magnitudes(c: Component, out: Float32Array): void {
  for (let i = 0, j = 0; i < out.length; i++, j += 2) {
    const re = c[j]!;
    const im = c[j + 1]!;
    out[i] = Math.sqrt(re * re + im * im);
  }
}

function luma(c: Component, channels: number, out: Float32Array): void {
  for (let i = 0, j = 0; i < out.length; i++, j += channels)
    out[i] = LUMA[0] * c[j]! + LUMA[1] * c[j + 1]! + LUMA[2] * c[j + 2]!;
}

function bigints(bytes: Uint8Array, signed: boolean, littleEndian: boolean, out: Float32Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = Number(signed ? view.getBigInt64(i * 8, littleEndian) : view.getBigUint64(i * 8, littleEndian));
  }
}

/** value = value * slope + inter, in place. */
function scaleInPlace(out: Float32Array, slope: number, inter: number): void {
  if (slope === 1 && inter === 0) return;
  for (let i = 0; i < out.length; i++) out[i] = out[i]! * slope + inter;
}

/** Offset that maps a component to its lookup-table index: 0 for unsigned, 2^(bits-1) for signed. */
const LUT_TYPES: Readonly<Record<string, number>> = { uint8: 0, int8: 128, uint16: 0, int16: 32768 };

/**
 * Scaled values of 8- and 16-bit integers through a lookup table of every possible value: one table read
 * per voxel instead of a multiply-add per voxel (IXI's uint8 + scl_slope scans decode ~2x faster). Gives
 * exactly the values of the multiply-add (each entry is the same float64 expression rounded to float32).
 */
function scaleThroughTable(c: Component, offset: number, size: number, slope: number, inter: number, out: Float32Array): void {
  const table = new Float32Array(size);
  for (let k = 0; k < size; k++) table[k] = (k - offset) * slope + inter;
  for (let i = 0; i < out.length; i++) out[i] = table[c[i]! + offset]!;
}

/**
 * Decodes 3D volume `frame` of `layout` from `data` (the bytes holding the voxels: the whole .nii, or the
 * .img of a pair; the caller has checked they are long enough). Returns nx*ny*nz float32 values in the
 * file's voxel order, i fastest (Fortran order), scaled by scl_slope / scl_inter; complex → magnitude,
 * RGB → Rec. 601 luma.
 */
export function decodeFrame(data: Uint8Array, layout: NiftiLayout, frame: number): Float32Array {
  const { datatype, frameBytes, raw } = layout;
  const start = layout.voxOffset + frame * frameBytes;
  const bytes = data.subarray(start, start + frameBytes);
  const out = new Float32Array(frameBytes / datatype.bytes);
  if (datatype.kind === 'bigint') bigints(bytes, datatype.name === 'int64', raw.littleEndian, out);
  else {
    const c = components(bytes, datatype, raw.littleEndian);
    const offset = LUT_TYPES[datatype.name];
    const scaled = layout.slope !== 1 || layout.inter !== 0;
    const tableSize = datatype.bytes === 1 ? 256 : 65536;
    // A table pays off once the volume is a few times larger than the table.
    if (scaled && offset !== undefined && out.length > 4 * tableSize) {
      scaleThroughTable(c, offset, tableSize, layout.slope, layout.inter, out);
      return out;
    }
    if (datatype.kind === 'real') out.set(c);
    else if (datatype.kind === 'complex') magnitudes(c, out);
    else luma(c, datatype.bytes, out);
  }
  scaleInPlace(out, layout.slope, layout.inter);
  return out;
}
