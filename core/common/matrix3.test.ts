import { describe, expect, it } from 'vitest';
import { det3, invert3, linearPart } from './matrix3.js';

describe('3x3 matrices', () => {
  it('take the linear part of an affine, its determinant and inverse', () => {
    const affine = [0, 0, -1.2, 90, -0.9, 0, 0, 120, 0, 1.1, 0, -70, 0, 0, 0, 1];
    const m = linearPart(affine);
    expect(m).toEqual([0, 0, -1.2, -0.9, 0, 0, 0, 1.1, 0]);
    expect(det3(m)).toBeCloseTo(1.2 * 0.9 * 1.1, 12);
    const inv = invert3(m);
    const product = [0, 1, 2].flatMap((r) => [0, 1, 2].map((c) => m[r * 3]! * inv[c]! + m[r * 3 + 1]! * inv[3 + c]! + m[r * 3 + 2]! * inv[6 + c]!));
    product.forEach((v, k) => expect(v).toBeCloseTo(k % 4 === 0 ? 1 : 0, 12));
  });

  it('gives non-finite entries for a singular matrix', () => {
    expect(invert3([1, 2, 3, 2, 4, 6, 0, 0, 1]).some((v) => !Number.isFinite(v))).toBe(true);
  });
});
