// Decoding safetensors tensor bytes (little-endian) into JavaScript arrays: floats of any width to
// float32, integers to numbers. Used to load PyTorch state_dicts saved in any float precision.

import { VoxlabError } from '../common/errors.js';
import type { SafetensorsTensor } from './safetensors.js';

/** Float dtypes that load as float32 (F64 rounds, F16/BF16 widen exactly). */
export const FLOAT_DTYPES: ReadonlySet<string> = new Set(['F32', 'F64', 'F16', 'BF16']);
/** Integer dtypes that load as numbers (exact up to 2^53). */
export const INT_DTYPES: ReadonlySet<string> = new Set([
  'I64',
  'I32',
  'I16',
  'I8',
  'U8',
  'U16',
  'U32',
  'U64',
]);

/** The tensor's values as float32 (C order over its shape); throws BAD_ARGUMENT for non-float dtypes. */
export function toFloat32(tensor: SafetensorsTensor): Float32Array {
  const { bytes, dtype } = tensor;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case 'F32':
      return Float32Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getFloat32(4 * i, true));
    case 'F64':
      return Float32Array.from({ length: bytes.byteLength / 8 }, (_, i) => view.getFloat64(8 * i, true));
    case 'F16':
      return Float32Array.from({ length: bytes.byteLength / 2 }, (_, i) =>
        halfToFloat(view.getUint16(2 * i, true)),
      );
    case 'BF16': {
      // bfloat16 is the upper half of a float32.
      const words = Uint32Array.from(
        { length: bytes.byteLength / 2 },
        (_, i) => view.getUint16(2 * i, true) << 16,
      );
      return new Float32Array(words.buffer);
    }
    default:
      throw new VoxlabError('BAD_ARGUMENT', `toFloat32: ${dtype} is not a float dtype`);
  }
}

/** The tensor's integer values as numbers; throws BAD_ARGUMENT for non-integer dtypes or values beyond 2^53. */
export function toIntegers(tensor: SafetensorsTensor): number[] {
  const { bytes, dtype } = tensor;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read: Record<string, [number, (offset: number) => number | bigint]> = {
    I64: [8, (o) => view.getBigInt64(o, true)],
    U64: [8, (o) => view.getBigUint64(o, true)],
    I32: [4, (o) => view.getInt32(o, true)],
    U32: [4, (o) => view.getUint32(o, true)],
    I16: [2, (o) => view.getInt16(o, true)],
    U16: [2, (o) => view.getUint16(o, true)],
    I8: [1, (o) => view.getInt8(o)],
    U8: [1, (o) => view.getUint8(o)],
  };
  const reader = read[dtype];
  if (reader === undefined)
    throw new VoxlabError('BAD_ARGUMENT', `toIntegers: ${dtype} is not an integer dtype`);
  const [size, get] = reader;
  return Array.from({ length: bytes.byteLength / size }, (_, i) => {
    const v = get(i * size);
    if (
      typeof v === 'bigint' &&
      (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER))
    ) {
      throw new VoxlabError('BAD_ARGUMENT', `toIntegers: ${v} does not fit a JavaScript number exactly`);
    }
    return Number(v);
  });
}

/** IEEE 754 half precision bits to a number (subnormals, infinities and NaN included). */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
