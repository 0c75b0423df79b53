// 3x3 matrices as 9 numbers, row-major: the linear part of a 4x4 affine (voxel steps in mm), its
// determinant (signed voxel volume) and inverse (mm back to voxel steps).

/** The 3x3 linear part of a 4x4 row-major affine (16 numbers). */
export function linearPart(affine: readonly number[]): number[] {
  return [0, 1, 2, 4, 5, 6, 8, 9, 10].map((i) => affine[i]!);
}

/** Determinant of a 3x3 matrix (9 numbers, row-major). */
export function det3(m: readonly number[]): number {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
}

/** Inverse of a 3x3 matrix (9 numbers, row-major); non-finite entries when it is singular. */
export function invert3(m: readonly number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  const det = det3(m);
  return [e * i - f * h, c * h - b * i, b * f - c * e, f * g - d * i, a * i - c * g, c * d - a * f, d * h - e * g, b * g - a * h, a * e - b * d].map(
    (v) => v / det,
  );
}
