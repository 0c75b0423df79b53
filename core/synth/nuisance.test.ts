import { describe, expect, it } from 'vitest';
import { isVoxlabError } from '../common/errors.js';
import { TISSUE } from './anatomy.js';
import { generatePhantom, type Phantom } from './generatePhantom.js';
import { segmentDistance } from './nuisance.js';
import type { PhantomOptions, PhantomParams } from './params.js';
import { dilate, meanWhere, sha256 } from './testUtil.js';

/** The issue's grid (3.625 mm voxels). */
const SMALL = { shape: [64, 64, 48] } as const;
const twins = (seed: number, options: PhantomOptions = {}): [Phantom, Phantom] => [
  generatePhantom({ ...SMALL, ...options, seed, label: 0 }),
  generatePhantom({ ...SMALL, ...options, seed, label: 1 }),
];
const argmax = (a: Int16Array): number => a.reduce((best, v, i) => (v > a[best]! ? i : best), 0);
const maxIn = (a: Int16Array, mask: Uint8Array): number =>
  a.reduce((m, v, i) => (mask[i] === 1 && v > m ? v : m), 0);

describe('nuisance (issue #16): no global class cue', () => {
  it.each([3, 4, 5, 6])(
    'puts the image maximum in a distractor, not the lesion, in both twins (seed %i)',
    (seed) => {
      const [p0, p1] = twins(seed);
      expect(p1.distractors).toEqual(p0.distractors);
      expect(p0.distractors.filter((d) => d.kind === 'max')).toHaveLength(1);
      for (const p of [p0, p1]) expect(p.tissues[argmax(p.image)]).toBe(TISSUE.vessel);
      expect(p1.image[argmax(p1.image)]).toBe(p0.image[argmax(p0.image)]);
      // The bright lesion stays well below the maximum (1.3 vs ≥ 1.96 x WM before bias and noise).
      expect(maxIn(p1.image, p1.mask)).toBeLessThan(0.85 * p1.image[argmax(p1.image)]!);
    },
  );

  it('plants a dark lesion between CSF (ventricles) and grey matter (deep grey), a bright one above white matter', () => {
    // The default 2 mm grid, and only voxels away from tissue borders (the blur mixes a border voxel).
    const dark = generatePhantom({ seed: 7, label: 1, lesionPolarity: 'dark' });
    const bright = generatePhantom({ seed: 7, label: 1 });
    const mean = (p: Phantom, code: number): number => {
      const edge = dilate(
        p.tissues.map((t) => (t === code ? 0 : 1)),
        p.shape,
      );
      const core = p.tissues.map((t, i) => (t === code && edge[i] === 0 ? 1 : 0));
      return meanWhere(p.image, core, 1).mean;
    };
    // The lesion is graded (lesion.ts, plantGradedLesion): its centre, within 0.3 radii (w > 0.91), holds
    // its intensity; the rim fades into the surrounding tissue.
    const centre = (p: Phantom): number => {
      const [nx, ny] = p.shape;
      const [ci, cj, ck] = p.planted.centreVoxel;
      const r = (0.3 * p.planted.radiusMm) / p.options.voxelSizeMm;
      const inner = p.mask.map((m, idx) => {
        const i = idx % nx;
        const j = Math.floor(idx / nx) % ny;
        const k = Math.floor(idx / (nx * ny));
        return m === 1 && Math.hypot(i - ci, j - cj, k - ck) < r ? 1 : 0;
      });
      return meanWhere(p.image, inner, 1).mean;
    };
    expect(dark.planted.polarity).toBe('dark');
    expect(centre(dark)).toBeGreaterThan(mean(dark, TISSUE.ventricle) * 1.5);
    expect(centre(dark)).toBeLessThan(mean(dark, TISSUE.deepGrey) * 0.75);
    expect(bright.planted.polarity).toBe('bright');
    expect(centre(bright)).toBeGreaterThan(mean(bright, TISSUE.white) * 1.35);
    // The rim is fainter than the centre.
    expect(mean(bright, TISSUE.lesion)).toBeLessThan(centre(bright));
    expect(dark.planted.contrastRatio).toBeCloseTo(0.3, 9);
    expect(bright.planted.contrastRatio).toBeCloseTo(1.8, 9);
  });

  it("draws both polarities with 'mixed', the same for both twins", () => {
    const polarities = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => {
      const [p0, p1] = twins(seed, { lesionPolarity: 'mixed' });
      expect(p1.planted.polarity).toBe(p0.planted.polarity);
      return p1.planted.polarity;
    });
    expect(new Set(polarities)).toEqual(new Set(['bright', 'dark']));
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'keeps every distractor 6 mm clear of the lesion sphere (seed %i)',
    (seed) => {
      const p = generatePhantom({ ...SMALL, seed, label: 1 });
      expect(p.distractors.length).toBeGreaterThanOrEqual(3);
      for (const d of p.distractors) {
        // The distractor's axis segment (a spheroid lies in the capsule around it) against the lesion centre.
        const gap = segmentDistance(
          p.planted.centreTemplateMm,
          d.centreTemplateMm,
          d.axisTemplate,
          d.kind === 'max' ? 0 : d.halfLengthMm,
        );
        expect(gap).toBeGreaterThan(p.planted.radiusMm + d.radiusMm + 6);
      }
      let touched = 0;
      for (let idx = 0; idx < p.mask.length; idx++)
        if (p.mask[idx] === 1 && p.tissues[idx] !== TISSUE.lesion) touched++;
      expect(touched).toBe(0);
    },
  );

  it('keeps the legacy cohort reachable: no distractors, and the lesion raises the maximum', () => {
    const [p0, p1] = twins(11, { legacyBrightLesion: true, lesionRadiusMm: 15 });
    expect(p1.distractors).toEqual([]);
    expect(p1.image[argmax(p1.image)]).toBeGreaterThan(p0.image[argmax(p0.image)]!);
    expect(p1.mask[argmax(p1.image)]).toBe(1);
    // Byte-identical to the generator before issue #16 (commit c3aaa20, checked against its files).
    expect([sha256(p0.image), sha256(p1.image)]).toEqual([
      '64fed4212a99e75419cb22830bf7da8cc99c53d3344a9a3a7a5b1746472a2db6',
      'e2e6cf5cff63f9f15ba419cc554aba7682fce78f06f1bd4c2fae17d423266b15',
    ]);
  });
});

describe('nuisance options: bad values', () => {
  it.each([
    ['lesionPolarity purple', { lesionPolarity: 'purple' }, /lesionPolarity/],
    ['legacyBrightLesion as a string', { legacyBrightLesion: 'yes' }, /legacyBrightLesion/],
    ['positive darkLesionContrast', { darkLesionContrast: 0.2 }, /darkLesionContrast/],
  ])('throws BAD_ARGUMENT for %s', (_name, override, message) => {
    const params = { seed: 1, label: 1, ...SMALL, ...override } as unknown as PhantomParams;
    let caught: unknown;
    try {
      generatePhantom(params);
    } catch (e) {
      caught = e;
    }
    expect(isVoxlabError(caught) && caught.code === 'BAD_ARGUMENT').toBe(true);
    expect((caught as Error).message).toMatch(message);
  });
});
