// Display colours between '#rrggbb' (sRGB) and DICOM's Recommended Display CIELab Value: CIELab in the ICC
// Profile Connection Space (D50 white), each of L*, a*, b* scaled to 0..65535 (PS3.3 C.10.7.1.1: L* 0..100,
// a* and b* -128..127). sRGB ↔ XYZ(D50): IEC 61966-2-1 transfer curve and the Bradford-adapted sRGB
// matrix (Lindbloom, "RGB/XYZ Matrices"); XYZ ↔ Lab: CIE 15:2004 8.2.1.

import { VoxlabError } from '../../common/errors.js';

/** sRGB (linear) → XYZ, D50-adapted (Bradford). */
const RGB_TO_XYZ = [
  [0.4360747, 0.3850649, 0.1430804],
  [0.2225045, 0.7168786, 0.0606169],
  [0.0139322, 0.0971045, 0.7141733],
];
/** XYZ (D50) → linear sRGB: the inverse of RGB_TO_XYZ. */
const XYZ_TO_RGB = [
  [3.1338561, -1.6168667, -0.4906146],
  [-0.9787684, 1.9161415, 0.033454],
  [0.0719453, -0.2289914, 1.4052427],
];
/** The D50 white point of the matrix above (rows sum to it, so sRGB greys have a* = b* = 0). */
const WHITE = [0.96422, 1, 0.82521];
const EPSILON = 216 / 24389;
const KAPPA = 24389 / 27;

const toLinear = (v: number) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
const fromLinear = (v: number) => (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055);
const mul = (m: number[][], v: number[]) =>
  m.map((row) => row[0]! * v[0]! + row[1]! * v[1]! + row[2]! * v[2]!);

/** '#rrggbb' → DICOM CIELab [L, a, b], each 0..65535. BAD_ARGUMENT for anything but '#' and 6 hex digits. */
export function hexToDicomLab(hex: string): [number, number, number] {
  if (typeof hex !== 'string' || !/^#[0-9a-fA-F]{6}$/.test(hex))
    throw new VoxlabError('BAD_ARGUMENT', `hexToDicomLab: a colour is '#rrggbb', got ${JSON.stringify(hex)}`);
  const rgb = [1, 3, 5].map((i) => toLinear(parseInt(hex.slice(i, i + 2), 16) / 255));
  const f = mul(RGB_TO_XYZ, rgb).map((v, i) => {
    const t = v / WHITE[i]!;
    return t > EPSILON ? Math.cbrt(t) : (KAPPA * t + 16) / 116;
  });
  const [L, a, b] = [116 * f[1]! - 16, 500 * (f[0]! - f[1]!), 200 * (f[1]! - f[2]!)];
  const scale = (v: number, lo: number, hi: number) =>
    Math.round(((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * 65535);
  return [scale(L, 0, 100), scale(a, -128, 127), scale(b, -128, 127)];
}

/** DICOM CIELab [L, a, b] (each 0..65535) → '#rrggbb', clipped to the sRGB gamut. */
export function dicomLabToHex(lab: readonly number[]): string {
  const L = (lab[0]! / 65535) * 100;
  const a = (lab[1]! / 65535) * 255 - 128;
  const b = (lab[2]! / 65535) * 255 - 128;
  const fy = (L + 16) / 116;
  const f = [fy + a / 500, fy, fy - b / 200];
  const xyz = f.map((v, i) => (v ** 3 > EPSILON ? v ** 3 : (116 * v - 16) / KAPPA) * WHITE[i]!);
  const rgb = mul(XYZ_TO_RGB, xyz).map((v) => Math.round(Math.min(1, Math.max(0, fromLinear(v))) * 255));
  return `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}
