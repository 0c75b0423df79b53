// Crosshair geometry: where another view's plane cuts this view, as a screen line through two world points.

import type { Vec3 } from './orientation.js';

/** Line colours per view plane, as in Slicer: axial red, coronal green, sagittal yellow. */
export const PLANE_COLORS = { axial: '#e05a5a', coronal: '#5ac85a', sagittal: '#e6c84a' } as const;

/**
 * Two world points on the intersection of the plane through `otherFocal` with normal `otherNormal` and the
 * view plane with normal `viewNormal`; null when the planes are parallel.
 */
export function planeIntersection(otherFocal: Vec3, otherNormal: Vec3, viewNormal: Vec3, length = 1000): [Vec3, Vec3] | null {
  const d: Vec3 = [
    otherNormal[1] * viewNormal[2] - otherNormal[2] * viewNormal[1],
    otherNormal[2] * viewNormal[0] - otherNormal[0] * viewNormal[2],
    otherNormal[0] * viewNormal[1] - otherNormal[1] * viewNormal[0],
  ];
  const n = Math.hypot(...d);
  if (n < 1e-6) return null;
  const u = d.map((v) => (v / n) * length) as unknown as Vec3;
  return [
    [otherFocal[0] - u[0], otherFocal[1] - u[1], otherFocal[2] - u[2]],
    [otherFocal[0] + u[0], otherFocal[1] + u[1], otherFocal[2] + u[2]],
  ];
}
