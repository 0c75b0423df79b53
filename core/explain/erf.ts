// The error function, which JavaScript's Math lacks. MONAI's Gaussian kernels (gaussian_1d, approx='erf')
// are differences of erf values, so the occlusion factor needs it to match MONAI.

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * erf(x) to about 1e-14 absolute: the Maclaurin series below |x| = 3 (at most ~40 terms, a few digits of
 * cancellation near 3), a continued fraction for erfc beyond (Abramowitz & Stegun 7.1.14, evaluated
 * bottom-up with 60 levels, converged to double precision for |x| >= 3).
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a < 3) {
    // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))
    let term = a;
    let sum = a;
    const a2 = a * a;
    for (let n = 1; n < 200; n++) {
      term *= -a2 / n;
      const next = term / (2 * n + 1);
      sum += next;
      if (Math.abs(next) < 1e-17 * Math.abs(sum)) break;
    }
    return Math.sign(x) * TWO_OVER_SQRT_PI * sum;
  }
  if (a > 27) return Math.sign(x);
  // erfc(a) = exp(-a^2)/sqrt(pi) * 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + 2/(a + ...)))))
  let f = a;
  for (let k = 60; k >= 1; k--) f = a + k / 2 / f;
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}
