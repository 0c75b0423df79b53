import { describe, expect, it } from 'vitest';
import { peakLine } from './explainReport.js';

const peak = {
  value: 1,
  voxelCount: 3072,
  regions: 1,
  centroidVoxel: [7.5, 7.5, 5.5] as [number, number, number],
  centroidWorldMm: [-10, 12.5, 8.25] as [number, number, number],
  voxel: [0, 0, 0] as [number, number, number],
  worldMm: [-25, 5, 0] as [number, number, number],
  tolerance: 1e-6,
};

describe('peakLine', () => {
  it('names a tie by its size, regions and centroid, not its first voxel', () => {
    const line = peakLine({ peak, evidence: 'positive evidence' });
    expect(line).toBe(
      'peak           3072 tied voxels in 1 region, centroid (7.5, 7.5, 5.5)  world (-10.0, 12.5, 8.3) mm',
    );
  });

  it('a single voxel plainly; no peak in words', () => {
    const one = { ...peak, voxelCount: 1, centroidVoxel: [3, 4, 5] as [number, number, number] };
    expect(peakLine({ peak: one, evidence: 'positive evidence' })).toMatch(/^peak {11}one voxel \(3, 4, 5\)/);
    expect(peakLine({ peak: null, evidence: 'no positive evidence' })).toBe(
      'peak           none: no positive evidence',
    );
  });
});
