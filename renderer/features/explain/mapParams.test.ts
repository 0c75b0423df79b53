import { describe, expect, it } from 'vitest';
import { describeMapParams } from './mapParams.js';

describe('describeMapParams', () => {
  it('lists the settings and the peak, not the probabilities', () => {
    expect(
      describeMapParams({ maskSize: 8, overlap: 0.25, slice: [1, 15], probabilities: [0.4, 0.6], peak: { voxel: [77, 58, 58] } }),
    ).toBe('mask 8 · overlap 0.25 · slice axis 1 #15 · peak voxel 77, 58, 58');
  });
  it('is empty for anything but an object', () => {
    expect(describeMapParams(null)).toBe('');
    expect(describeMapParams([1, 2])).toBe('');
  });
});
