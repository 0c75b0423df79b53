// Orientation markers of a 2D view: which patient direction lies at the top, bottom, left and right edge of
// the screen, from the camera in world LPS (Cornerstone's viewUp and viewPlaneNormal, the normal pointing
// from the focal point towards the viewer).

export type Vec3 = readonly [number, number, number];

/** The anatomical letter of a direction in LPS: +x Left, +y Posterior, +z Superior; the dominant axis wins. */
export function lpsLetter(v: Vec3): string {
  const LETTERS = [
    ['R', 'L'],
    ['A', 'P'],
    ['I', 'S'],
  ] as const;
  let axis = 0;
  for (let a = 1; a < 3; a++) if (Math.abs(v[a]!) > Math.abs(v[axis]!)) axis = a;
  return LETTERS[axis]![v[axis]! >= 0 ? 1 : 0];
}

function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

const neg = (v: Vec3): Vec3 => [-v[0], -v[1], -v[2]];

/** Letters at the four screen edges of a view with camera `viewUp` and `viewPlaneNormal` (towards the viewer). */
export function orientationMarkers(
  viewUp: Vec3,
  viewPlaneNormal: Vec3,
): { top: string; bottom: string; left: string; right: string } {
  // Screen right = up x normal for a right-handed screen frame (x right, y up, z towards the viewer).
  const right = cross(viewUp, viewPlaneNormal);
  return {
    top: lpsLetter(viewUp),
    bottom: lpsLetter(neg(viewUp)),
    right: lpsLetter(right),
    left: lpsLetter(neg(right)),
  };
}
