// Orientation letters from Cornerstone cameras: the standard views in radiological convention, and a
// rotated / flipped camera.

import { describe, expect, it } from 'vitest';
import { lpsLetter, orientationMarkers } from './orientation.js';

describe('orientationMarkers', () => {
  it.each([
    // Cornerstone's default cameras (viewPlaneNormal towards the viewer, in LPS).
    ['axial', [0, -1, 0], [0, 0, -1], { top: 'A', right: 'L', bottom: 'P', left: 'R' }],
    ['coronal', [0, 0, 1], [0, -1, 0], { top: 'S', right: 'L', bottom: 'I', left: 'R' }],
    ['sagittal', [0, 0, 1], [1, 0, 0], { top: 'S', right: 'P', bottom: 'I', left: 'A' }],
    ['axial seen from above (neurological)', [0, -1, 0], [0, 0, 1], { top: 'A', right: 'R', bottom: 'P', left: 'L' }],
    ['axial rotated 90°', [1, 0, 0], [0, 0, -1], { top: 'L', right: 'P', bottom: 'R', left: 'A' }],
  ] as const)('%s', (_, up, normal, expected) => {
    expect(orientationMarkers(up, normal)).toEqual(expected);
  });

  it('an oblique direction takes its dominant axis', () => {
    expect(lpsLetter([0.2, -0.9, 0.1])).toBe('A');
    expect(lpsLetter([-0.7, 0.6, 0.1])).toBe('R');
    expect(lpsLetter([0, 0.1, -0.99])).toBe('I');
  });
});
