import { describe, expect, it } from 'vitest';
import { isVoxlabError } from '../common/errors.js';
import { agreement } from './agreement.js';
import type { Read } from './readTable.js';
import {
  FLEISS_1971,
  KRIPPENDORFF_MISSING,
  readsFromCounts,
  readsFromMatrix,
  readsFromRatings,
  readsFromTable,
  WIKIPEDIA_COHEN,
  WIKIPEDIA_FLEISS,
} from './testing/fixtures.js';

/** The report must survive JSON unchanged: no NaN, no undefined, no Map. */
function expectJsonSafe(value: unknown): void {
  expect(JSON.parse(JSON.stringify(value))).toStrictEqual(value);
}

describe('agreement on published examples, from reads', () => {
  it("two readers, Wikipedia 'Cohen's kappa' (50 proposals): kappa 0.4, agreement 70%, confusion = the table", () => {
    const r = agreement(
      readsFromTable(WIKIPEDIA_COHEN.table, WIKIPEDIA_COHEN.classes),
      WIKIPEDIA_COHEN.classes,
    );
    expect(r.counts).toEqual({
      scans: 50,
      reads: 100,
      readers: 2,
      scansWithTwoOrMoreReads: 50,
      readsPerScan: [{ reads: 2, scans: 50 }],
    });
    expect(r.cohen.readers).toEqual(['A', 'B']);
    expect(r.cohen.kappa).toBeCloseTo(0.4, 12);
    expect(r.percentAgreement.pairwise).toBeCloseTo(0.7, 12);
    expect(r.percentAgreement.unanimous).toBeCloseTo(0.7, 12);
    expect(r.pairs).toHaveLength(1);
    expect(r.pairs[0]?.confusion).toEqual(WIKIPEDIA_COHEN.table);
    // With two classes each one-vs-rest table is the table itself (or its mirror): the same kappa.
    for (const c of r.perClass) expect(c.cohen.kappa).toBeCloseTo(0.4, 12);
    // Specific agreement: yes 2*20 / (2*20 + 5 + 10), no 2*15 / (2*15 + 5 + 10).
    expect(r.perClass[0]?.specificAgreement).toBeCloseTo(40 / 55, 12);
    expect(r.perClass[1]?.specificAgreement).toBeCloseTo(30 / 45, 12);
    expect(r.disagreements).toHaveLength(15);
    expectJsonSafe(r);
  });

  it("Wikipedia 'Fleiss' kappa' (14 readers): kappa 0.210 over all 10 scans, none left out", () => {
    const classes = ['c1', 'c2', 'c3', 'c4', 'c5'];
    const r = agreement(readsFromCounts(WIKIPEDIA_FLEISS.counts, classes), classes);
    expect(r.fleiss.kappa).toBeCloseTo(0.21, 3);
    expect(r.fleiss).toMatchObject({ readsPerScan: 14, scansLeftOut: [] });
    expect(r.fleiss.scansUsed).toHaveLength(10);
    expect(r.percentAgreement.pairwise).toBeCloseTo(WIKIPEDIA_FLEISS.observed, 3);
    expect(r.cohen.kappa).toBeNull();
    expect(r.cohen.reason).toMatch(/exactly two readers; this study has 14/);
    expect(r.pairs).toHaveLength(91);
    expect(r.disagreements.map((d) => d.imageId)).not.toContain('unit-01'); // subject 1: all 14 agree
    expect(r.disagreements).toHaveLength(9);
    expectJsonSafe(r);
  });

  it('Fleiss (1971) diagnoses: kappa 0.4302445, per-class .245 .245 .520 .471 .566, z 17.65', () => {
    const r = agreement(readsFromRatings(FLEISS_1971.ratings, FLEISS_1971.classes), FLEISS_1971.classes);
    expect(r.fleiss.kappa).toBeCloseTo(FLEISS_1971.kappa, 7);
    expect(r.fleiss.z).toBeCloseTo(FLEISS_1971.z, 4);
    r.perClass.forEach((c, j) => expect(c.fleiss.kappa).toBeCloseTo(FLEISS_1971.perClass[j]!, 12));
    expect(r.perClass.map((c) => c.className)).toEqual(FLEISS_1971.classes);
  });

  it('Krippendorff (2011) C, missing reads: alpha 0.743; Fleiss uses the 8 scans read 4 times and says why it left the rest out', () => {
    const classes = ['1', '2', '3', '4', '5'];
    const r = agreement(readsFromMatrix(KRIPPENDORFF_MISSING.data, classes), classes);
    expect(r.krippendorff.alpha).toBeCloseTo(KRIPPENDORFF_MISSING.alpha, 3);
    expect(r.counts).toMatchObject({ scans: 12, reads: 41, readers: 4, scansWithTwoOrMoreReads: 11 });
    expect(r.counts.readsPerScan).toEqual([
      { reads: 1, scans: 1 },
      { reads: 2, scans: 1 },
      { reads: 3, scans: 2 },
      { reads: 4, scans: 8 },
    ]);
    expect(r.fleiss.readsPerScan).toBe(4);
    expect(r.fleiss.scansUsed).toHaveLength(8);
    expect(r.fleiss.scansLeftOut.map((s) => [s.imageId, s.reads])).toEqual([
      ['unit-01', 3],
      ['unit-10', 3],
      ['unit-11', 2],
      ['unit-12', 1],
    ]);
    expect(r.fleiss.scansLeftOut[3]?.reason).toMatch(/read once/);
    expect(r.fleiss.scansLeftOut[0]?.reason).toMatch(/same number of reads/);
    expectJsonSafe(r);
  });
});

describe('agreement: readers reading different subsets', () => {
  const reads: Read[] = [
    { imageId: 's1', reader: 'ann', label: 'a' },
    { imageId: 's1', reader: 'bob', label: 'a' },
    { imageId: 's2', reader: 'ann', label: 'b' },
    { imageId: 's2', reader: 'bob', label: 'a' },
    { imageId: 's2', reader: 'cat', label: 'b' },
    { imageId: 's3', reader: 'bob', label: 'b' },
    { imageId: 's3', reader: 'cat', label: 'b' },
    { imageId: 's4', reader: 'cat', label: 'a' },
  ];
  const r = agreement(reads, ['a', 'b']);

  it('pairs count only the scans both read; confusion rows are the first reader', () => {
    expect(r.pairs.map((p) => [p.readers, p.scans])).toEqual([
      [['ann', 'bob'], 2],
      [['ann', 'cat'], 1],
      [['bob', 'cat'], 2],
    ]);
    expect(r.pairs[0]?.confusion).toEqual([
      [1, 0],
      [1, 0],
    ]);
    expect(r.pairs[1]?.cohen.reason).toMatch(/same class/); // ann and cat share only s2, both 'b'
  });

  it('percent agreement over scans read twice or more: s1 1, s2 1/3, s3 1', () => {
    expect(r.percentAgreement.scans).toBe(3);
    expect(r.percentAgreement.pairwise).toBeCloseTo((1 + 1 / 3 + 1) / 3, 12);
    expect(r.percentAgreement.unanimous).toBeCloseTo(2 / 3, 12);
  });

  it('lists the disagreement with each reader label', () => {
    expect(r.disagreements).toEqual([
      {
        imageId: 's2',
        labels: [
          { reader: 'ann', label: 'b' },
          { reader: 'bob', label: 'a' },
          { reader: 'cat', label: 'b' },
        ],
      },
    ]);
  });

  it('Fleiss takes the most common number of reads (2: s1, s3), and can be asked for 3', () => {
    expect(r.fleiss.readsPerScan).toBe(2);
    expect(r.fleiss.scansUsed).toEqual(['s1', 's3']);
    const three = agreement(reads, ['a', 'b'], { fleissReadsPerScan: 3 });
    expect(three.fleiss.scansUsed).toEqual(['s2']);
    const five = agreement(reads, ['a', 'b'], { fleissReadsPerScan: 5 });
    expect(five.fleiss).toMatchObject({ kappa: null, reason: 'no scan was read exactly 5 times' });
  });
});

describe('agreement edge cases', () => {
  it('one class used by everyone: every kappa and alpha null with a reason, never NaN', () => {
    const reads = ['s1', 's2', 's3'].flatMap((imageId) =>
      ['x', 'y'].map((reader) => ({ imageId, reader, label: 'normal' })),
    );
    const r = agreement(reads, ['normal', 'tumour']);
    expect(r.percentAgreement.pairwise).toBe(1);
    expect(r.cohen).toMatchObject({ kappa: null, se: null, ci: null });
    expect(r.cohen.reason).toMatch(/chance agreement is 1/);
    expect(r.fleiss.kappa).toBeNull();
    expect(r.fleiss.reason).toMatch(/same class/);
    expect(r.krippendorff.alpha).toBeNull();
    expect(r.perClass[1]).toMatchObject({ className: 'tumour', reads: 0, specificAgreement: null });
    expect(r.perClass[1]?.fleiss.reason).toBe('no read is this class');
    expect(r.disagreements).toEqual([]);
    expectJsonSafe(r);
    expect(JSON.stringify(r)).not.toContain('NaN');
  });

  it('no scan with two reads: counts, and null statistics with reasons', () => {
    const r = agreement(
      [
        { imageId: 's1', reader: 'x', label: 'a' },
        { imageId: 's2', reader: 'y', label: 'b' },
      ],
      ['a', 'b'],
    );
    expect(r.counts).toMatchObject({ scans: 2, reads: 2, readers: 2, scansWithTwoOrMoreReads: 0 });
    expect(r.percentAgreement).toEqual({
      scans: 0,
      pairwise: null,
      unanimous: null,
      reason: 'no scan has two or more reads',
    });
    expect(r.cohen).toMatchObject({ scans: 0, kappa: null, reason: 'no scan was read by both readers' });
    expect(r.fleiss).toMatchObject({
      readsPerScan: null,
      kappa: null,
      reason: 'no scan has two or more reads',
      scansUsed: [],
    });
    expect(r.fleiss.scansLeftOut).toHaveLength(2);
    expect(r.krippendorff.alpha).toBeNull();
    expectJsonSafe(r);
  });

  it('no reads at all', () => {
    const r = agreement([], ['a', 'b']);
    expect(r.counts).toEqual({
      scans: 0,
      reads: 0,
      readers: 0,
      scansWithTwoOrMoreReads: 0,
      readsPerScan: [],
    });
    expect(r.pairs).toEqual([]);
    expect(r.cohen.reason).toMatch(/exactly two readers; this study has 0/);
    expectJsonSafe(r);
  });

  const bad: [string, Read[], string[], object?][] = [
    ['a label not in the class list', [{ imageId: 's1', reader: 'x', label: 'cyst' }], ['a', 'b']],
    [
      'the same reader reading a scan twice',
      [
        { imageId: 's1', reader: 'x', label: 'a' },
        { imageId: 's1', reader: 'x', label: 'a' },
      ],
      ['a', 'b'],
    ],
    ['an empty class list', [], []],
    ['a class listed twice', [], ['a', 'a']],
    ['a read with no reader', [{ imageId: 's1', reader: '', label: 'a' }], ['a']],
    ['a confidence level not offered', [], ['a'], { confidence: 0.8 }],
    ['fleissReadsPerScan below 2', [], ['a'], { fleissReadsPerScan: 1 }],
  ];
  it.each(bad)('rejects %s with VoxlabError BAD_ARGUMENT', (_, reads, classes, options) => {
    let error: unknown;
    try {
      agreement(reads, classes, options);
    } catch (e) {
      error = e;
    }
    expect(isVoxlabError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringContaining('agreement') });
  });

  it('names the reader, scan and label in the error for a label not in the class list', () => {
    expect(() =>
      agreement([{ imageId: 'scan-9', reader: 'ann', label: 'cyst' }], ['normal', 'tumour']),
    ).toThrow(/ann.*scan-9.*"cyst".*normal, tumour/);
  });
});
