import { describe, expect, it } from 'vitest';
import { planeIntersection } from './crosshair.js';

describe('planeIntersection', () => {
  it('a sagittal plane cuts an axial view along y (A-P), through its focal point', () => {
    const [a, b] = planeIntersection([10, 0, 0], [1, 0, 0], [0, 0, -1], 5)!;
    expect(a[0]).toBeCloseTo(10);
    expect(b[0]).toBeCloseTo(10);
    expect(Math.abs(b[1] - a[1])).toBeCloseTo(10);
    expect(a[2]).toBeCloseTo(0);
  });
  it('parallel planes do not cut', () => {
    expect(planeIntersection([0, 0, 5], [0, 0, 1], [0, 0, -1])).toBeNull();
  });
});
