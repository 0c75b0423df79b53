// Casting float voxel values to the datatype a NIfTI file will store, with scl_slope/scl_inter when the
// values do not fit the integer type as they are (nibabel's ArrayWriter does the same when saving).

import { VoxlabError } from '../common/errors.js';

/** Datatypes voxlab writes. */
export const WRITE_DTYPES = ['uint8', 'int16', 'float32'] as const;
export type WriteDtype = (typeof WRITE_DTYPES)[number];

const RANGE = { uint8: [0, 255], int16: [-32768, 32767] } as const;

/** Stored values and the scaling that maps them back: value = stored * slope + inter. */
export interface CastResult {
  readonly data: Uint8Array | Int16Array | Float32Array;
  /** undefined when the values are stored as they are. */
  readonly scaling?: { readonly slope: number; readonly inter: number };
}

/**
 * Converts `values` to `dtype`. Integer targets keep the values as they are when all are whole numbers
 * in range; otherwise slope/inter map [min, max] onto the type's full range (rounding error at most
 * slope/2). NaN becomes 0 in integer types (NIfTI has no NaN for integers). Throws BAD_ARGUMENT for an
 * unknown dtype and BAD_VALUES for infinite values in an integer cast.
 */
export function castForNifti(values: Float32Array, dtype: WriteDtype): CastResult {
  if (dtype === 'float32') return { data: values };
  const range = RANGE[dtype];
  if (!range) throw new VoxlabError('BAD_ARGUMENT', `castForNifti: dtype must be one of ${WRITE_DTYPES.join(', ')}, got '${String(dtype)}'`);
  let min = Infinity;
  let max = -Infinity;
  let whole = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    if (v === Infinity || v === -Infinity) throw new VoxlabError('BAD_VALUES', `castForNifti: the image holds infinite values, which ${dtype} cannot store`);
    if (v < min) min = v;
    if (v > max) max = v;
    if (whole && v !== Math.round(v)) whole = false;
  }
  const out = dtype === 'uint8' ? new Uint8Array(values.length) : new Int16Array(values.length);
  const [lo, hi] = range;
  if (min === Infinity || (whole && min >= lo && max <= hi)) {
    for (let i = 0; i < values.length; i++) out[i] = values[i]! === values[i]! ? values[i]! : 0;
    return { data: out };
  }
  const slope = max > min ? (max - min) / (hi - lo) : 1;
  const inter = min - lo * slope;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] = v === v ? Math.min(hi, Math.max(lo, Math.round((v - inter) / slope))) : 0;
  }
  return { data: out, scaling: { slope, inter } };
}
