import { describe, expect, it } from 'vitest';
import { isVoxlabError } from '../../common/errors.js';
import { toAffine } from '../../common/spaces.js';
import { halfWindowMm } from './halfWindowMm.js';
import { isHit, summarise, type PointingResult, type WorldMm } from './pointingGame.js';

/** A lesion of radius 10 mm at (20, -4, 30); with a 5 mm half window the hit radius is 15 mm. */
const LESION = { centreWorldMm: [20, -4, 30] as const, radiusWorldMm: 10 };
const HALF = 5;

describe('isHit', () => {
  it.each<[string, WorldMm, boolean, number]>([
    ['at the centre', [20, -4, 30], true, 0],
    ['inside the sphere', [26, -4, 30], true, 6],
    ['outside the sphere but within half a window', [20, 8, 30], true, 12],
    ['exactly on the boundary (radius + half window)', [20, -4, 45], true, 15],
    ['just outside', [20, -4, 45.01], false, 15.01],
    ['far away, 3-4-5 triangle', [20 + 30, -4 + 40, 30], false, 50],
  ])('%s', (_, peak, hit, distance) => {
    const r = isHit(peak, LESION, HALF);
    expect(r.hit).toBe(hit);
    expect(r.distanceMm).toBeCloseTo(distance, 9);
  });

  it('a null peak (no positive evidence) is a miss without a distance', () => {
    expect(isHit(null, LESION, HALF)).toEqual({ hit: false, distanceMm: null });
  });

  it('without the half window the boundary is the sphere itself', () => {
    expect(isHit([30, -4, 30], LESION, 0).hit).toBe(true);
    expect(isHit([30.5, -4, 30], LESION, 0).hit).toBe(false);
  });

  it.each<[string, () => unknown]>([
    ['a negative half window', () => isHit([0, 0, 0], LESION, -1)],
    ['a NaN peak coordinate', () => isHit([0, Number.NaN, 0], LESION, HALF)],
    ['a negative radius', () => isHit([0, 0, 0], { ...LESION, radiusWorldMm: -2 }, HALF)],
  ])('throws BAD_ARGUMENT for %s', (_, call) => {
    let error: unknown;
    try {
      call();
    } catch (e) {
      error = e;
    }
    expect(isVoxlabError(error) && error.code).toBe('BAD_ARGUMENT');
  });
});

describe('summarise', () => {
  const hit = (d: number): PointingResult => ({ hit: true, distanceMm: d });
  const miss = (d: number | null): PointingResult => ({ hit: false, distanceMm: d });

  it('odd count: the middle distance; hits and rate', () => {
    expect(summarise([hit(3), miss(40), hit(1)])).toEqual({
      n: 3,
      hits: 2,
      hit_rate: 2 / 3,
      median_distance_mm: 3,
      no_peak: 0,
    });
  });

  it('even count: the mean of the two middle distances', () => {
    expect(summarise([miss(30), hit(2), hit(4), miss(20)]).median_distance_mm).toBe(12);
  });

  it('null peaks are misses, left out of the median', () => {
    const s = summarise([miss(null), hit(5), miss(null), miss(11)]);
    expect(s).toEqual({ n: 4, hits: 1, hit_rate: 0.25, median_distance_mm: 8, no_peak: 2 });
  });

  it('no scans, or only scans without a peak: no rate or median', () => {
    expect(summarise([])).toEqual({ n: 0, hits: 0, hit_rate: null, median_distance_mm: null, no_peak: 0 });
    expect(summarise([miss(null)]).median_distance_mm).toBeNull();
  });
});

describe('halfWindowMm', () => {
  it('mask 8 on 64x64x48 voxels of 3.75 mm resized to 64^3: the k axis is stretched, so 4 x 3.75 mm', () => {
    // i, j: 64 * 3.75 / 64 = 3.75 mm per input voxel; k: 48 * 3.75 / 64 = 2.8125 mm. Largest: 3.75.
    const affine = toAffine([3.75, 0, 0, -120, 0, 3.75, 0, -120, 0, 0, 3.75, -90, 0, 0, 0, 1]);
    expect(halfWindowMm(8, [64, 64, 48], affine, [64, 64, 64])).toBeCloseTo(15, 12);
  });

  it('spacing is the column length: a rotated, anisotropic grid', () => {
    // Column 0 = (0, 2, 0) (2 mm), column 1 = (-1, 0, 0) (1 mm), column 2 = (0, 0, 3) (3 mm).
    const affine = toAffine([0, -1, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1]);
    // Per input voxel: 10*2/5 = 4, 20*1/5 = 4, 10*3/5 = 6 mm; half of 2 windows' voxels: 1 * 6.
    expect(halfWindowMm(2, [10, 20, 10], affine, [5, 5, 5])).toBeCloseTo(6, 12);
  });

  it('throws BAD_ARGUMENT for a mask size of 0', () => {
    const affine = toAffine([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    expect(() => halfWindowMm(0, [4, 4, 4], affine, [4, 4, 4])).toThrow(/maskSize/);
  });
});
