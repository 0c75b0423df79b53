import { describe, expect, it } from 'vitest';
import { toAffine } from '../common/spaces.js';
import { mapPeak } from './mapPeak.js';
import { occluderFor, occluderWords } from './occluders.js';
import { occlusionImportance } from './occlusionImportance.js';
import { planOcclusion, type OcclusionMode } from './occlusionParams.js';
import { occlusionSensitivity } from './occlusionSensitivity.js';
import { linearClassifier } from './testing/analyticClassifiers.js';

const S = 16;
const SHAPE = [1, S, S, S] as const;
const at = (i: number, j: number, k: number) => (i * S + j) * S + k;
/** The dark (hypointense) lesion: [4, 8)^3 of the input, C order [depth, height, width]. */
const inLesion = (i: number, j: number, k: number) => [i, j, k].every((v) => v >= 4 && v < 8);

/** Tissue at 1 (+-0.05 ripple), the lesion at 0.2. */
function scanWithDarkLesion(): Float32Array {
  const x = new Float32Array(S ** 3);
  for (let i = 0; i < S; i++)
    for (let j = 0; j < S; j++)
      for (let k = 0; k < S; k++)
        x[at(i, j, k)] = inLesion(i, j, k) ? 0.2 : 1 + 0.05 * Math.sin(i + 2 * j + 3 * k);
  return x;
}

/** Class 1 ("lesion") logit = 8 * (0.6 - mean intensity of the lesion region): darker there = more lesion. */
function lesionDetector() {
  const w = new Float32Array(S ** 3);
  for (let i = 4; i < 8; i++)
    for (let j = 4; j < 8; j++) for (let k = 4; k < 8; k++) w[at(i, j, k)] = -8 / 64;
  return linearClassifier(SHAPE, [new Float32Array(S ** 3), w], [0, 8 * 0.6]);
}

/** The importance map of class 1 and where it peaks / bottoms out (voxel [i, j, k] of the input). */
async function importance(mode: OcclusionMode | undefined) {
  const result = await occlusionSensitivity(lesionDetector(), scanWithDarkLesion(), {
    maskSize: 4,
    overlap: 0.5,
    nBatch: 64,
    ...(mode !== undefined ? { mode } : {}),
  });
  const map = occlusionImportance(result, 1);
  let lo = 0;
  for (let v = 1; v < map.length; v++) if (map[v]! < map[lo]!) lo = v;
  // mapPeak reads Fortran order: a C-order [D, H, W] map is a Fortran [W, H, D] one, axes reversed.
  const { peak } = mapPeak(map, [S, S, S], toAffine([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]));
  const min = [Math.floor(lo / S ** 2), Math.floor(lo / S) % S, lo % S] as [number, number, number];
  return { result, map, peak, min, centroid: peak && ([...peak.centroidVoxel].reverse() as number[]) };
}

describe('occluders on a dark lesion (issue #16)', () => {
  it("MONAI's gaussian deepens the dark lesion: occluding it RAISES p(lesion), the map's minimum is on it", async () => {
    const { map, min } = await importance('gaussian');
    expect(inLesion(...min)).toBe(true);
    expect(map[at(5, 5, 5)]).toBeLessThan(0);
  });

  it.each([
    ['the default (mean_surround)', undefined],
    ['mean_patch', 'mean_patch'],
  ] as const)(
    '%s removes it: the map peaks on the lesion, occluding it lowers p(lesion)',
    async (_name, mode) => {
      const { map, peak, centroid, result } = await importance(mode);
      expect(result.plan.mode).toBe(mode ?? 'mean_surround');
      expect(map[at(5, 5, 5)]).toBeGreaterThan(0);
      expect(peak).not.toBeNull();
      expect(inLesion(...(centroid!.map(Math.round) as [number, number, number]))).toBe(true);
      expect(Math.max(...centroid!.map((c) => Math.abs(c - 5.5)))).toBeLessThan(1.5);
    },
  );
});

describe('occluderFor mean_surround', () => {
  const plan = (mask: number, spatial = [6, 6, 6]) =>
    planOcclusion(spatial, { maskSize: mask, mode: 'mean_surround' });

  it('fills every channel with its mean over the 2-voxel shell, ignoring the window and what lies beyond', () => {
    // 2 channels of 8^3: the window [3, 5)^3 holds 0, the shell [1, 7)^3 minus it holds 3 (channel 0) /
    // -1 (channel 1), everything farther 100.
    const n = 8;
    const x = new Float32Array(2 * n ** 3);
    for (let c = 0; c < 2; c++)
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++)
          for (let k = 0; k < n; k++) {
            const inside = (lo: number, hi: number) => [i, j, k].every((v) => v >= lo && v < hi);
            x[((c * n + i) * n + j) * n + k] = inside(3, 5) ? 0 : inside(1, 7) ? (c === 0 ? 3 : -1) : 100;
          }
    const o = occluderFor(plan(2, [n, n, n]), x, [2, n, n, n])([3, 3, 3]);
    expect(o.size).toEqual([2, 2, 2]);
    expect(Array.from(o.patch)).toEqual([...Array(8).fill(3), ...Array(8).fill(-1)]);
  });

  it('clips the shell at the border; a window as large as the input takes its own mean', () => {
    const x = Float32Array.from({ length: 6 ** 3 }, (_, v) => (v < 6 ** 2 ? 2 : 5)); // depth 0 = 2, else 5
    // Window [0, 2)^3 at the corner: its shell is [0, 4)^3 minus it; 16 - 4 of its 56 voxels lie at depth 0.
    const corner = occluderFor(plan(2), x, [1, 6, 6, 6])([0, 0, 0]);
    expect(corner.patch[0]).toBeCloseTo((12 * 2 + 44 * 5) / 56, 6);
    const whole = occluderFor(plan(6), x, [1, 6, 6, 6])([0, 0, 0]);
    expect(whole.patch[0]).toBeCloseTo((36 * 2 + 180 * 5) / 216, 6);
  });

  it('says what each mode does', () => {
    expect(occluderWords('gaussian')).toMatch(/toward 0/);
    expect(occluderWords(0.5)).toMatch(/constant \(0\.5\)/);
  });
});
