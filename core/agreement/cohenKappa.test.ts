import { describe, expect, it } from 'vitest';
import { cohenKappaFromTable } from './cohenKappa.js';
import { SAS_TABLE, WIKIPEDIA_COHEN, WIKIPEDIA_COHEN_SAME_PERCENTAGES } from './testing/fixtures.js';

const transpose = (t: readonly (readonly number[])[]): number[][] => t.map((_, j) => t.map((row) => row[j]!));

describe('cohenKappaFromTable against published examples', () => {
  it("Wikipedia 'Cohen's kappa': 50 proposals 20/5/10/15 -> p_o 0.7, p_e 0.5, kappa 0.4", () => {
    const k = cohenKappaFromTable(WIKIPEDIA_COHEN.table);
    expect(k.scans).toBe(50);
    expect(k.observed).toBeCloseTo(0.7, 12);
    expect(k.expected).toBeCloseTo(0.5, 12);
    expect(k.kappa).toBeCloseTo(0.4, 12);
    expect(k.reason).toBeNull();
  });

  it.each(WIKIPEDIA_COHEN_SAME_PERCENTAGES)(
    "Wikipedia 'same percentages, different numbers': %j",
    ({ table, kappa }) => {
      const k = cohenKappaFromTable(table);
      expect(k.observed).toBeCloseTo(0.6, 12);
      expect(k.kappa).toBeCloseTo(kappa, 4);
    },
  );

  it('SAS PROC FREQ printout (statsmodels test_inter_rater): kappa, ASE, 95% limits, ASE under H0, Z', () => {
    const k = cohenKappaFromTable(SAS_TABLE.table);
    expect(k.kappa).toBeCloseTo(SAS_TABLE.kappa, 4);
    expect(k.se).toBeCloseTo(SAS_TABLE.se, 4);
    expect(k.ci?.lower).toBeCloseTo(SAS_TABLE.lower, 4);
    expect(k.ci?.upper).toBeCloseTo(SAS_TABLE.upper, 4);
    expect(k.ci?.level).toBe(0.95);
    expect(k.seNull).toBeCloseTo(SAS_TABLE.seNull, 4);
    expect(k.z).toBeCloseTo(SAS_TABLE.z, 3);
  });

  it('the Wikipedia example has SE 0.127 (FCE 1969 by hand) and 95% CI 0.15-0.65', () => {
    // By hand: A = 0.10972, B = 0.10188, C = 0.01, var = 0.2016 / (50 * 0.25) = 0.016128.
    const k = cohenKappaFromTable(WIKIPEDIA_COHEN.table);
    expect(k.se).toBeCloseTo(Math.sqrt(0.016128), 12);
    expect(k.ci?.lower).toBeCloseTo(0.4 - 1.959963984540054 * Math.sqrt(0.016128), 12);
    expect(k.ci?.upper).toBeCloseTo(0.4 + 1.959963984540054 * Math.sqrt(0.016128), 12);
  });

  it('wider intervals at 99%, narrower at 90%', () => {
    const w = (level: 0.9 | 0.95 | 0.99) => {
      const ci = cohenKappaFromTable(WIKIPEDIA_COHEN.table, level).ci!;
      return ci.upper - ci.lower;
    };
    expect(w(0.9)).toBeLessThan(w(0.95));
    expect(w(0.95)).toBeLessThan(w(0.99));
  });
});

describe('cohenKappaFromTable properties and edge cases', () => {
  it.each([[WIKIPEDIA_COHEN.table], [SAS_TABLE.table], [WIKIPEDIA_COHEN_SAME_PERCENTAGES[1].table]])(
    'is symmetric in the readers (transpose) %#',
    (table) => {
      expect(cohenKappaFromTable(transpose(table))).toEqual(cohenKappaFromTable(table));
    },
  );

  it('perfect agreement gives kappa 1 and a zero-width interval at 1', () => {
    const k = cohenKappaFromTable([
      [7, 0, 0],
      [0, 3, 0],
      [0, 0, 5],
    ]);
    expect(k.kappa).toBeCloseTo(1, 12);
    expect(k.se).toBeCloseTo(0, 12);
    expect(k.ci?.upper).toBe(1);
  });

  it('one class used by both readers for every scan: kappa null with a reason, not NaN', () => {
    const k = cohenKappaFromTable([
      [0, 0],
      [0, 12],
    ]);
    expect(k.kappa).toBeNull();
    expect(k.observed).toBe(1);
    expect(k.expected).toBe(1);
    expect(k.reason).toMatch(/chance agreement is 1/);
    expect(k.se).toBeNull();
    expect(k.ci).toBeNull();
  });

  it('an empty table: kappa null, no scan read by both', () => {
    const k = cohenKappaFromTable([
      [0, 0],
      [0, 0],
    ]);
    expect(k).toMatchObject({ scans: 0, kappa: null, reason: 'no scan was read by both readers' });
  });

  it('readers who never agree, each with one class: kappa 0 (p_o = p_e = 0)', () => {
    const k = cohenKappaFromTable([
      [0, 4],
      [0, 0],
    ]);
    expect(k.kappa).toBe(0);
  });

  it.each([
    [[]],
    [[[1, 2]]],
    [
      [
        [1, -1],
        [0, 0],
      ],
    ],
    [
      [
        [1.5, 0],
        [0, 1],
      ],
    ],
  ])('rejects %j with BAD_ARGUMENT', (table) => {
    expect(() => cohenKappaFromTable(table)).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
  });
});
