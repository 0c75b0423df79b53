// Numbers as DICOM Decimal String (DS) and Integer String (IS) values: at most 16 and 12 characters
// (PS3.5 Table 6.2-1), so a DS keeps as many significant digits as fit.

import { VoxlabError } from '../../common/errors.js';

/**
 * `x` as a DS value of at most 16 characters with the most significant digits that fit (positions in mm
 * keep ~12 digits: -157.845805122881 → "-157.84580512288"). BAD_ARGUMENT for NaN or infinity.
 */
export function formatDs(x: number): string {
  if (!Number.isFinite(x))
    throw new VoxlabError('BAD_ARGUMENT', `formatDs: a decimal string needs a finite number, got ${x}`);
  if (Object.is(x, -0) || x === 0) return '0';
  for (let digits = 16; digits >= 1; digits--) {
    const rounded = Number(x.toPrecision(digits));
    // Plain form first ("-157.84580512288"), exponent form for large or tiny values ("4.2291998863e+17").
    for (const s of [String(rounded), rounded.toExponential()]) if (s.length <= 16) return s;
  }
  // Unreachable for finite numbers: one significant digit with an exponent is at most 7 characters.
  throw new VoxlabError('INTERNAL', `formatDs: cannot fit ${x} in 16 characters`);
}

/** `x` as an IS value: an integer in [-2^31, 2^31 - 1] (PS3.5 Table 6.2-1); BAD_ARGUMENT otherwise. */
export function formatIs(x: number): string {
  if (!Number.isInteger(x) || x < -(2 ** 31) || x > 2 ** 31 - 1)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `formatIs: an integer string needs an integer within 32 bits, got ${x}`,
    );
  return String(x);
}
