import { describe, expect, it } from 'vitest';
import { isVoxlabError } from '../common/errors.js';
import { voxelToWorld } from '../common/spaces.js';
import { TISSUE } from './anatomy.js';
import { generatePhantom, type Phantom } from './generatePhantom.js';
import { apply, poseMap } from './grid.js';
import type { PhantomParams } from './params.js';
import { centroid, dilate, meanWhere, sha256 } from './testUtil.js';

/** A coarse grid (3.625 mm voxels) so the suite stays fast; the default grid is tested where it matters. */
const SMALL = { shape: [64, 64, 48] } as const;
const small = (seed: number, label: 0 | 1): Phantom => generatePhantom({ ...SMALL, seed, label });

describe('generatePhantom: determinism', () => {
  it('gives byte-identical arrays for the same seed, different ones for another seed', () => {
    const a = small(11, 1);
    const b = small(11, 1);
    const c = small(12, 1);
    expect(sha256(a.image)).toBe(sha256(b.image));
    expect(sha256(a.mask)).toBe(sha256(b.mask));
    expect(a.planted).toEqual(b.planted);
    expect(sha256(a.image)).not.toBe(sha256(c.image));
    expect(a.planted.centreVoxel).not.toEqual(c.planted.centreVoxel);
  });
});

describe('generatePhantom: planted signal', () => {
  const p0 = small(21, 0);
  const p1 = small(21, 1);

  it('has a non-empty mask exactly for class 1, and the same region for both classes', () => {
    expect(p0.mask.some((v) => v !== 0)).toBe(false);
    expect(p1.planted.voxelCount).toBeGreaterThan(150);
    expect(centroid(p1.mask, p1.shape).count).toBe(p1.planted.voxelCount);
    expect(sha256(p0.region)).toBe(sha256(p1.region));
    expect(sha256(p1.region)).toBe(sha256(p1.mask));
    expect([p0.planted.present, p1.planted.present]).toEqual([false, true]);
  });

  it('changes the image inside the mask and nowhere beyond one voxel of it', () => {
    const near = dilate(p1.mask, p1.shape);
    let outsideDiffs = 0;
    let inside1 = 0;
    let inside0 = 0;
    for (let idx = 0; idx < p1.image.length; idx++) {
      if (near[idx] === 0 && p1.image[idx] !== p0.image[idx]) outsideDiffs++;
      if (p1.mask[idx] === 1) {
        inside1 += p1.image[idx]!;
        inside0 += p0.image[idx]!;
      }
    }
    expect(outsideDiffs).toBe(0);
    // Lesion 1300 vs mostly white matter (1000) before bias: at least +15% on average.
    expect(inside1 / inside0).toBeGreaterThan(1.15);
  });

  it('puts the mask centroid within a voxel of planted.centreVoxel, in the right hemisphere', () => {
    const c = centroid(p1.mask, p1.shape).ijk;
    for (let a = 0; a < 3; a++) expect(Math.abs(c[a]! - p1.planted.centreVoxel[a]!)).toBeLessThan(1);
    expect(p1.planted.centreWorldMm[0]).toBeGreaterThan(10);
    const world = voxelToWorld(p1.affine, p1.planted.centreVoxel);
    const viaPose = apply(poseMap(p1.pose), p1.planted.centreTemplateMm);
    for (let a = 0; a < 3; a++) {
      expect(world[a]).toBeCloseTo(p1.planted.centreWorldMm[a]!, 6);
      expect(viaPose[a]).toBeCloseTo(p1.planted.centreWorldMm[a]!, 6);
    }
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'keeps the region inside the brain, mostly in white matter (seed %i)',
    (seed) => {
      const p = small(seed, 0);
      const counts = new Array<number>(10).fill(0);
      for (let idx = 0; idx < p.region.length; idx++) if (p.region[idx] === 1) counts[p.tissues[idx]!]!++;
      const outsideBrain =
        counts[TISSUE.background]! + counts[TISSUE.scalp]! + counts[TISSUE.skull]! + counts[TISSUE.marrow]!;
      expect(outsideBrain).toBe(0);
      expect(counts[TISSUE.white]! / p.planted.voxelCount).toBeGreaterThan(0.6);
    },
  );
});

describe('generatePhantom: anatomy and contrast on the default IXI-like grid', () => {
  it.each([1, 2])(
    'gives class-0/1 twins the same maximum, so min-max scaling carries no class cue (seed %i)',
    (seed) => {
      const max = (a: Int16Array): number => a.reduce((m, v) => (v > m ? v : m), 0);
      const twin0 = generatePhantom({ seed, label: 0 });
      const twin1 = generatePhantom({ seed, label: 1 });
      expect(max(twin1.image)).toBe(max(twin0.image));
      expect(max(twin1.image)).toBeGreaterThan(1300);
    },
  );

  it.each(['RAS', 'PSR'] as const)('orders tissues WM > GM > CSF like a T1 (%s)', (orientation) => {
    const p = generatePhantom({ seed: 5, label: 1, orientation });
    expect(p.shape).toEqual([120, 120, 90]);
    expect(p.options.voxelSizeMm).toBe(2);
    const wm = meanWhere(p.image, p.tissues, TISSUE.white);
    const gm = meanWhere(p.image, p.tissues, TISSUE.grey);
    const csf = meanWhere(p.image, p.tissues, TISSUE.csf);
    // Air away from the head (the blur spreads the scalp one voxel out).
    const air = dilate(
      p.tissues.map((t) => (t === TISSUE.background ? 0 : 1)),
      p.shape,
    ).map((v) => 1 - v);
    const bg = meanWhere(p.image, air, 1);
    expect(wm.mean).toBeGreaterThan(gm.mean * 1.2);
    expect(gm.mean).toBeGreaterThan(csf.mean * 1.3);
    expect(wm.mean).toBeGreaterThan(850);
    expect(wm.mean).toBeLessThan(1150);
    // Rayleigh background: mean σ sqrt(π / 2) with σ = 30.
    expect(bg.mean).toBeGreaterThan(30 * 1.2533 * 0.98);
    expect(bg.mean).toBeLessThan(30 * 1.2533 * 1.02);
    // Plausible volumes at 8 mm³ per voxel: brain tissue 0.8-1.6 l, ventricles 4-60 ml.
    const brain = [TISSUE.grey, TISSUE.white, TISSUE.deepGrey].reduce(
      (s, t) => s + meanWhere(p.image, p.tissues, t).count,
      0,
    );
    expect(brain * 8e-6).toBeGreaterThan(0.8);
    expect(brain * 8e-6).toBeLessThan(1.6);
    const ventricles = meanWhere(p.image, p.tissues, TISSUE.ventricle).count * 8e-3;
    expect(ventricles).toBeGreaterThan(4);
    expect(ventricles).toBeLessThan(60);
  });

  it('places the same head at the same world positions in RAS and PSR voxel order', () => {
    const ras = generatePhantom({ seed: 9, label: 1, orientation: 'RAS' });
    const psr = generatePhantom({ seed: 9, label: 1, orientation: 'PSR' });
    expect(psr.planted.centreWorldMm).toEqual(ras.planted.centreWorldMm.map((x) => expect.closeTo(x, 9)));
    // PSR voxel (i, j, k) sits at world x = 2k − 89, y = 119 − 2i, z = 2j − 119; RAS (i, j, k) at
    // (2i − 119, 2j − 119, 2k − 89): both grids share voxel centres where they overlap.
    let same = 0;
    let compared = 0;
    for (let k = 0; k < 90; k += 3)
      for (let j = 15; j < 105; j += 3)
        for (let i = 0; i < 120; i += 3) {
          const [x, y, z] = [2 * k - 89, 119 - 2 * i, 2 * j - 119];
          const r = [(x + 119) / 2, (y + 119) / 2, (z + 89) / 2];
          compared++;
          if (psr.tissues[i + 120 * (j + 120 * k)] === ras.tissues[r[0]! + 120 * (r[1]! + 120 * r[2]!)])
            same++;
        }
    expect(same / compared).toBeGreaterThan(0.999);
  });
});

describe('generatePhantom: bad parameters', () => {
  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['seed NaN', { seed: Number.NaN }, /seed/],
    ['seed fraction', { seed: 1.5 }, /seed/],
    ['label 2', { label: 2 }, /label/],
    ['shape with 2 axes', { shape: [64, 64] }, /shape/],
    ['shape fraction', { shape: [64, 64.5, 48] }, /shape/],
    ['shape below 16', { shape: [15, 64, 48] }, /shape/],
    ['shape too small for the head at 2 mm', { shape: [64, 64, 48], voxelSizeMm: 2 }, /too small/],
    ['orientation LPS', { orientation: 'LPS' }, /orientation/],
    ['negative noise', { noiseSigma: -0.1 }, /noiseSigma/],
    ['huge lesion', { lesionRadiusMm: 40 }, /lesionRadiusMm/],
  ];
  it.each(bad)('throws BAD_ARGUMENT for %s', (_name, override, message) => {
    const params = { seed: 1, label: 1, ...SMALL, ...override } as unknown as PhantomParams;
    let caught: unknown;
    try {
      generatePhantom(params);
    } catch (e) {
      caught = e;
    }
    expect(isVoxlabError(caught)).toBe(true);
    expect((caught as { code: string }).code).toBe('BAD_ARGUMENT');
    expect((caught as Error).message).toMatch(message);
  });
});
