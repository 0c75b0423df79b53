// Hand-built NIfTI bytes for the reader tests: any header field, either byte order, NIfTI-1 or -2.

export type Header = {
  version: 1 | 2;
  littleEndian: boolean;
  dim: number[];
  datatype: number;
  bitpix: number;
  pixdim: number[];
  voxOffset: number;
  slope: number;
  inter: number;
  qformCode: number;
  sformCode: number;
  quatern: number[];
  srow: number[];
  intent: number;
  magic: string;
};

export const BASE: Header = {
  version: 1,
  littleEndian: true,
  dim: [3, 2, 3, 2, 1, 1, 1, 1],
  datatype: 2,
  bitpix: 8,
  pixdim: [1, 2, 3, 4, 1, 1, 1, 1],
  voxOffset: 352,
  slope: 1,
  inter: 0,
  qformCode: 0,
  sformCode: 1,
  quatern: [0, 0, 0, 10, 20, 30],
  srow: [2, 0, 0, -2, 0, 3, 0, -3, 0, 0, 4, -4],
  intent: 0,
  magic: 'n+1',
};
/** Voxels of the default 2x3x2 image. */
export const NVOX = 12;

/** NIfTI-1 (348 bytes) or NIfTI-2 (540 bytes) header + 4 extender bytes, then `data` at voxOffset. */
export function nifti(
  over: Partial<Header>,
  data: Uint8Array = Uint8Array.from({ length: NVOX }, (_, i) => i * 10),
): Uint8Array {
  const h = { ...BASE, ...(over.version === 2 ? { voxOffset: 544, magic: 'n+2' } : {}), ...over };
  const size = h.version === 1 ? 348 : 540;
  const dataAt = Number.isFinite(h.voxOffset) && h.voxOffset >= size ? h.voxOffset : size + 4;
  const bytes = new Uint8Array(dataAt + data.length);
  const v = new DataView(bytes.buffer);
  const le = h.littleEndian;
  v.setInt32(0, size, le);
  const f = h.version === 1;
  const int = (at: number, x: number): void => (f ? v.setInt16(at, x, le) : v.setInt32(at, x, le));
  const real = (at: number, x: number): void => (f ? v.setFloat32(at, x, le) : v.setFloat64(at, x, le));
  h.dim.forEach((d, n) => (f ? v.setInt16(40 + 2 * n, d, le) : v.setBigInt64(16 + 8 * n, BigInt(d), le)));
  v.setInt16(f ? 70 : 12, h.datatype, le);
  v.setInt16(f ? 72 : 14, h.bitpix, le);
  h.pixdim.forEach((p, n) => (f ? v.setFloat32(76 + 4 * n, p, le) : v.setFloat64(104 + 8 * n, p, le)));
  if (f) v.setFloat32(108, h.voxOffset, le);
  else v.setBigInt64(168, BigInt(h.voxOffset), le);
  real(f ? 112 : 176, h.slope);
  real(f ? 116 : 184, h.inter);
  int(f ? 252 : 344, h.qformCode);
  int(f ? 254 : 348, h.sformCode);
  h.quatern.forEach((q, n) => real((f ? 256 : 352) + (f ? 4 : 8) * n, q));
  h.srow.forEach((s, n) => real((f ? 280 : 400) + (f ? 4 : 8) * n, s));
  int(f ? 68 : 504, h.intent);
  const magicAt = f ? 344 : 4;
  [...h.magic].forEach((c, n) => (bytes[magicAt + n] = c.charCodeAt(0)));
  if (!f) bytes.set([13, 10, 26, 10], 8);
  if (dataAt === h.voxOffset) bytes.set(data, dataAt);
  return bytes;
}

/** Voxel bytes of `values` in a datatype; complex takes [re, im] pairs, rgb [r, g, b(, a)] tuples. */
export function encode(setter: string, bytes: number, values: number[], littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(values.length * bytes);
  const v = new DataView(out.buffer) as unknown as Record<
    string,
    (at: number, x: number | bigint, le: boolean) => void
  >;
  values.forEach((x, n) => v[setter]!(n * bytes, setter.includes('Big') ? BigInt(x) : x, littleEndian));
  return out;
}
