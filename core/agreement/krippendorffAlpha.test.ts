import { describe, expect, it } from 'vitest';
import { krippendorffAlpha } from './krippendorffAlpha.js';
import { KRIPPENDORFF_BINARY, KRIPPENDORFF_MISSING, WIKIPEDIA_KRIPPENDORFF } from './testing/fixtures.js';

/** Unit-by-value counts from an observer-by-unit matrix (null = missing), values 0..k-1 after `base`. */
function unitCounts(data: readonly (readonly (number | null)[])[], k: number, base: number): number[][] {
  return data[0]!.map((_, u) => {
    const row = new Array<number>(k).fill(0);
    for (const observer of data) {
      const v = observer[u];
      if (v !== null && v !== undefined) row[v - base]! += 1;
    }
    return row;
  });
}

describe('krippendorffAlpha (nominal) against published examples', () => {
  it('Krippendorff (2011) A: binary, two observers, 10 units -> 0.095', () => {
    const a = krippendorffAlpha(unitCounts(KRIPPENDORFF_BINARY.data, 2, 0));
    expect(a.alpha).toBeCloseTo(KRIPPENDORFF_BINARY.alpha, 3);
    expect(a).toMatchObject({ scans: 10, pairableReads: 20, reason: null });
  });

  it('Krippendorff (2011) C: 4 observers, 12 units, missing values -> 0.743', () => {
    const a = krippendorffAlpha(unitCounts(KRIPPENDORFF_MISSING.data, 5, 1));
    expect(a.alpha).toBeCloseTo(KRIPPENDORFF_MISSING.alpha, 3);
    // Unit 12 has one value and is not pairable: 11 units, 40 pairable values (Krippendorff's n = 40).
    expect(a).toMatchObject({ scans: 11, pairableReads: 40 });
  });

  it("Wikipedia 'Krippendorff's alpha' example: 3 coders, 15 units -> 0.691358", () => {
    const a = krippendorffAlpha(unitCounts(WIKIPEDIA_KRIPPENDORFF.data, 4, 1));
    expect(a.alpha).toBeCloseTo(WIKIPEDIA_KRIPPENDORFF.alpha, 6);
  });
});

describe('krippendorffAlpha edge cases', () => {
  it('perfect agreement with two values gives 1', () => {
    expect(
      krippendorffAlpha([
        [2, 0],
        [0, 3],
        [1, 0],
      ]).alpha,
    ).toBeCloseTo(1, 12);
  });

  it('no unit with two values: null with a reason', () => {
    expect(
      krippendorffAlpha([
        [1, 0],
        [0, 1],
      ]),
    ).toEqual({ scans: 0, pairableReads: 0, alpha: null, reason: 'no scan has two or more reads' });
  });

  it('one value only: null (0/0) with a reason', () => {
    const a = krippendorffAlpha([
      [0, 2],
      [0, 3],
    ]);
    expect(a.alpha).toBeNull();
    expect(a.reason).toMatch(/same class/);
  });

  it('rejects ragged rows and bad counts with BAD_ARGUMENT', () => {
    expect(() => krippendorffAlpha([[1, 1], [1]])).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
    expect(() => krippendorffAlpha([[1, 0.5]])).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
  });
});
