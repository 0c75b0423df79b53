import { describe, expect, it } from 'vitest';
import { fleissKappa, scanAgreement } from './fleissKappa.js';
import { FLEISS_1971, WIKIPEDIA_FLEISS } from './testing/fixtures.js';

/** n_ij rows from a subject-by-rating matrix with ratings 1..k. */
function countsOf(ratings: readonly (readonly number[])[], k: number): number[][] {
  return ratings.map((row) => Array.from({ length: k }, (_, j) => row.filter((v) => v === j + 1).length));
}

describe("fleissKappa on Wikipedia's worked example (10 subjects, 14 raters, 5 categories)", () => {
  const stats = fleissKappa(WIKIPEDIA_FLEISS.counts);

  it.each(WIKIPEDIA_FLEISS.counts.map((row, i) => [i + 1, row, WIKIPEDIA_FLEISS.scanAgreement[i]!] as const))(
    'P_%i of %j is %f',
    (_, row, p) => {
      expect(scanAgreement(row)).toBeCloseTo(p, 3);
    },
  );

  it('p_j = 0.143 0.200 0.279 0.150 0.229', () => {
    stats.perClass.forEach((c, j) => expect(c.proportion).toBeCloseTo(WIKIPEDIA_FLEISS.proportions[j]!, 3));
  });

  it('P-bar 0.378, P-bar_e 0.213, kappa 0.210', () => {
    expect(stats).toMatchObject({ scans: 10, readsPerScan: 14, reason: null });
    expect(stats.observed).toBeCloseTo(WIKIPEDIA_FLEISS.observed, 3);
    expect(stats.expected).toBeCloseTo(WIKIPEDIA_FLEISS.expected, 3);
    expect(stats.kappa).toBeCloseTo(WIKIPEDIA_FLEISS.kappa, 3);
  });
});

describe('fleissKappa on Fleiss (1971) Table 1 (30 patients, 6 diagnoses each)', () => {
  const stats = fleissKappa(countsOf(FLEISS_1971.ratings, 5));

  it('kappa 0.4302445 and z 17.65183 (R irr kappam.fleiss, Fleiss, Nee & Landis 1979 SE)', () => {
    expect(stats.kappa).toBeCloseTo(FLEISS_1971.kappa, 7);
    expect(stats.z).toBeCloseTo(FLEISS_1971.z, 4);
    expect(stats.seNull).toBeCloseTo(FLEISS_1971.kappa / FLEISS_1971.z, 6);
  });

  it('per-category kappa_j .245 .245 .520 .471 .566 (15 digits from JASP)', () => {
    stats.perClass.forEach((c, j) => expect(c.kappa).toBeCloseTo(FLEISS_1971.perClass[j]!, 12));
  });

  it('per-category SE under H0 is sqrt(2 / (N m (m - 1))) = sqrt(2 / 900)', () => {
    for (const c of stats.perClass) expect(c.seNull).toBeCloseTo(Math.sqrt(2 / 900), 14);
  });
});

describe('fleissKappa edge cases', () => {
  it('perfect agreement on two classes gives kappa 1', () => {
    const s = fleissKappa([
      [3, 0],
      [0, 3],
      [3, 0],
    ]);
    expect(s.kappa).toBeCloseTo(1, 12);
    s.perClass.forEach((c) => expect(c.kappa).toBeCloseTo(1, 12));
  });

  it('every read one class: kappa null with a reason; the unused class too', () => {
    const s = fleissKappa([
      [0, 4],
      [0, 4],
    ]);
    expect(s).toMatchObject({ kappa: null, seNull: null, z: null });
    expect(s.reason).toMatch(/same class/);
    expect(s.perClass[0]).toMatchObject({ proportion: 0, kappa: null, reason: 'no read is this class' });
    expect(s.perClass[1]?.kappa).toBeNull();
  });

  it.each([
    ['empty', []],
    [
      'unequal reads per scan',
      [
        [2, 0],
        [1, 2],
      ],
    ],
    [
      'one read per scan',
      [
        [1, 0],
        [0, 1],
      ],
    ],
    [
      'ragged rows',
      [
        [1, 1],
        [1, 1, 0],
      ],
    ],
    [
      'negative count',
      [
        [3, -1],
        [1, 1],
      ],
    ],
  ])('rejects %s with BAD_ARGUMENT', (_, counts) => {
    expect(() => fleissKappa(counts)).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
  });
});
