// Signed distance maps of small masks against brute force, with anisotropic pixels.

import { describe, expect, it } from 'vitest';
import { distanceToFeature, signedDistance } from './segDistance.js';

/** Brute-force distance (mm) from each pixel to the nearest pixel with `mask` === want. */
function brute(mask: Uint8Array, nu: number, nv: number, su: number, sv: number, want: number): number[] {
  return Array.from(mask, (_, n) => {
    let best = Infinity;
    mask.forEach((m, q) => {
      if (m === want)
        best = Math.min(
          best,
          Math.hypot(((n % nu) - (q % nu)) * su, (Math.floor(n / nu) - Math.floor(q / nu)) * sv),
        );
    });
    return best;
  });
}

describe('signed distance', () => {
  it.each([
    { su: 1, sv: 1 },
    { su: 0.5, sv: 2 },
    { su: 3, sv: 1.2 },
  ])('matches brute force on a random mask (spacing $su x $sv mm)', ({ su, sv }) => {
    const [nu, nv] = [13, 9];
    let seed = 7;
    const mask = Uint8Array.from({ length: nu * nv }, () =>
      (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 5 === 0 ? 1 : 0,
    );
    const got = Array.from(distanceToFeature(nu, nv, su, sv, (n) => mask[n] === 1));
    brute(mask, nu, nv, su, sv, 1).forEach((d, n) => expect(got[n]).toBeCloseTo(d, 9));
    const sd = signedDistance(mask, nu, nv, su, sv);
    const outside = brute(mask, nu, nv, su, sv, 0);
    mask.forEach((m, n) => expect(sd[n]).toBeCloseTo(m === 1 ? -outside[n]! : got[n]!, 9));
  });

  it('is infinite without features, capped in the signed map', () => {
    expect(Array.from(distanceToFeature(3, 2, 1, 1, () => false))).toEqual(Array(6).fill(Infinity));
    const sd = signedDistance(new Uint8Array(6).fill(1), 3, 2, 1, 1);
    expect(sd.every((d) => d === -Math.hypot(3, 2))).toBe(true);
    expect(() => signedDistance(new Uint8Array(5), 3, 2, 1, 1)).toThrow(/signedDistance: 5 pixels/);
  });
});
