// The agreement report as the Reading panel reads it: the figures of a hand-checked two-reader example
// (4 scans, classes 0/1; ann1 says 1,0,0,1 and ann2 1,0,1,1: p_o = 3/4, p_e = 2/4·1/4 + 2/4·3/4 = 1/2,
// Cohen's kappa = (3/4 - 1/2) / (1 - 1/2) = 0.50), three readers (Fleiss instead of Cohen), and answers
// of another shape refused in words. The fixtures are core/agreement's output for these reads, as JSON.

import { describe, expect, it } from 'vitest';
import { kappaText, parseAgreement, percentText } from './agreementView.js';

const TWO_READERS: unknown = {"classes":["0","1"],"readers":["ann1","ann2"],"confidence":0.95,"counts":{"scans":4,"reads":8,"readers":2,"scansWithTwoOrMoreReads":4,"readsPerScan":[{"reads":2,"scans":4}]},"percentAgreement":{"scans":4,"pairwise":0.75,"unanimous":0.75,"reason":null},"cohen":{"readers":["ann1","ann2"],"scans":4,"observed":0.75,"expected":0.5,"kappa":0.5,"reason":null,"se":0.375,"ci":{"lower":-0.23498649420252027,"upper":1,"level":0.95},"seNull":0.4330127018922193,"z":1.1547005383792517},"fleiss":{"readsPerScan":2,"scansUsed":["s0","s1","s2","s3"],"scansLeftOut":[],"observed":0.75,"expected":0.53125,"kappa":0.4666666666666667,"reason":null,"seNull":0.5,"z":0.9333333333333333,"perClass":[{"proportion":0.375,"kappa":0.4666666666666667,"reason":null,"seNull":0.5,"z":0.9333333333333333},{"proportion":0.625,"kappa":0.4666666666666667,"reason":null,"seNull":0.5,"z":0.9333333333333333}]},"krippendorff":{"scans":4,"pairableReads":8,"alpha":0.5333333333333333,"reason":null},"perClass":[{"className":"0","reads":3,"specificAgreement":0.6666666666666666,"fleiss":{"proportion":0.375,"kappa":0.4666666666666667,"reason":null,"seNull":0.5,"z":0.9333333333333333},"cohen":{"scans":4,"observed":0.75,"expected":0.5,"kappa":0.5,"reason":null,"se":0.375,"ci":{"lower":-0.23498649420252027,"upper":1,"level":0.95},"seNull":0.4330127018922193,"z":1.1547005383792517}},{"className":"1","reads":5,"specificAgreement":0.8,"fleiss":{"proportion":0.625,"kappa":0.4666666666666667,"reason":null,"seNull":0.5,"z":0.9333333333333333},"cohen":{"scans":4,"observed":0.75,"expected":0.5,"kappa":0.5,"reason":null,"se":0.375,"ci":{"lower":-0.23498649420252027,"upper":1,"level":0.95},"seNull":0.4330127018922193,"z":1.1547005383792517}}],"pairs":[{"readers":["ann1","ann2"],"scans":4,"confusion":[[1,1],[0,2]],"percentAgreement":0.75,"cohen":{"scans":4,"observed":0.75,"expected":0.5,"kappa":0.5,"reason":null,"se":0.375,"ci":{"lower":-0.23498649420252027,"upper":1,"level":0.95},"seNull":0.4330127018922193,"z":1.1547005383792517}}],"disagreements":[{"imageId":"s2","labels":[{"reader":"ann1","label":"0"},{"reader":"ann2","label":"1"}]}]};

const THREE_READERS: unknown = {"classes":["0","1"],"readers":["a","b","c"],"confidence":0.95,"counts":{"scans":2,"reads":6,"readers":3,"scansWithTwoOrMoreReads":2,"readsPerScan":[{"reads":3,"scans":2}]},"percentAgreement":{"scans":2,"pairwise":0.6666666666666666,"unanimous":0.5,"reason":null},"cohen":{"readers":[],"scans":0,"observed":null,"expected":null,"kappa":null,"reason":"Cohen's kappa is for exactly two readers; this study has 3 (see pairs and Fleiss' kappa)","se":null,"ci":null,"seNull":null,"z":null},"fleiss":{"readsPerScan":3,"scansUsed":["s0","s1"],"scansLeftOut":[],"observed":0.6666666666666666,"expected":0.5555555555555556,"kappa":0.24999999999999986,"reason":null,"seNull":0.408248290463863,"z":0.6123724356957941,"perClass":[{"proportion":0.3333333333333333,"kappa":0.2500000000000001,"reason":null,"seNull":0.408248290463863,"z":0.6123724356957948},{"proportion":0.6666666666666666,"kappa":0.2500000000000001,"reason":null,"seNull":0.408248290463863,"z":0.6123724356957948}]},"krippendorff":{"scans":2,"pairableReads":6,"alpha":0.375,"reason":null},"perClass":[{"className":"0","reads":2,"specificAgreement":0.5,"fleiss":{"proportion":0.3333333333333333,"kappa":0.2500000000000001,"reason":null,"seNull":0.408248290463863,"z":0.6123724356957948},"cohen":{"scans":0,"observed":null,"expected":null,"kappa":null,"reason":"Cohen's kappa is for exactly two readers; this study has 3 (see Fleiss' kappa)","se":null,"ci":null,"seNull":null,"z":null}},{"className":"1","reads":4,"specificAgreement":0.75,"fleiss":{"proportion":0.6666666666666666,"kappa":0.2500000000000001,"reason":null,"seNull":0.408248290463863,"z":0.6123724356957948},"cohen":{"scans":0,"observed":null,"expected":null,"kappa":null,"reason":"Cohen's kappa is for exactly two readers; this study has 3 (see Fleiss' kappa)","se":null,"ci":null,"seNull":null,"z":null}}],"pairs":[{"readers":["a","b"],"scans":2,"confusion":[[1,0],[0,1]],"percentAgreement":1,"cohen":{"scans":2,"observed":1,"expected":0.5,"kappa":1,"reason":null,"se":0,"ci":{"lower":1,"upper":1,"level":0.95},"seNull":0.7071067811865476,"z":1.414213562373095}},{"readers":["a","c"],"scans":2,"confusion":[[0,1],[0,1]],"percentAgreement":0.5,"cohen":{"scans":2,"observed":0.5,"expected":0.5,"kappa":0,"reason":null,"se":0,"ci":{"lower":0,"upper":0,"level":0.95},"seNull":0,"z":null}},{"readers":["b","c"],"scans":2,"confusion":[[0,1],[0,1]],"percentAgreement":0.5,"cohen":{"scans":2,"observed":0.5,"expected":0.5,"kappa":0,"reason":null,"se":0,"ci":{"lower":0,"upper":0,"level":0.95},"seNull":0,"z":null}}],"disagreements":[{"imageId":"s1","labels":[{"reader":"a","label":"0"},{"reader":"b","label":"0"},{"reader":"c","label":"1"}]}]};

describe('parseAgreement', () => {
  it('reads a two-reader report: Cohen with its interval, percent agreement, per class, the disagreement', () => {
    const v = parseAgreement(TWO_READERS);
    expect(v.readers).toEqual(['ann1', 'ann2']);
    expect(v.cohen?.kappa).toBeCloseTo(0.5, 12);
    expect(kappaText(v.cohen!)).toBe('0.50 (95% CI -0.23–1.00)');
    expect(percentText(v.percent)).toBe('75.0%');
    expect(v.perClass.map((c) => [c.className, c.reads, percentText(c.specificAgreement)])).toEqual([
      ['0', 3, '66.7%'],
      ['1', 5, '80.0%'],
    ]);
    expect(v.pairs[0]!.confusion).toEqual([
      [1, 1],
      [0, 2],
    ]);
    expect(v.disagreements).toEqual([{ imageId: 's2', labels: [{ reader: 'ann1', label: '0' }, { reader: 'ann2', label: '1' }] }]);
  });

  it("reads a three-reader report: no Cohen's kappa, Fleiss' without an interval, per class Fleiss", () => {
    const v = parseAgreement(THREE_READERS);
    expect(v.cohen).toBeNull();
    expect(v.fleiss.kappa).not.toBeNull();
    expect(v.fleiss.ci).toBeNull();
    expect(kappaText(v.fleiss)).toMatch(/^-?\d\.\d\d$/);
    expect(v.perClass).toHaveLength(2);
  });

  it.each([
    [null, /no object at report/],
    [{ ...(TWO_READERS as object), readers: 'ann1' }, /no list at readers/],
    [{ ...(TWO_READERS as object), percentAgreement: { pairwise: 'high' } }, /no number at percentAgreement\.pairwise/],
  ])('refuses an answer of another shape in words (%#)', (json, pattern) => {
    expect(() => parseAgreement(json)).toThrow(pattern);
  });
});

describe('kappaText', () => {
  it.each([
    [{ kappa: -0.001, ci: null, reason: null, scans: 3 }, '0.00'],
    [{ kappa: null, ci: null, reason: 'no scan has two or more reads', scans: 0 }, 'undefined (no scan has two or more reads)'],
    [{ kappa: 0.4, ci: { lower: 0.1, upper: 0.7, level: 0.9 }, reason: null, scans: 9 }, '0.40 (90% CI 0.10–0.70)'],
  ])('%j -> %s', (k, want) => {
    expect(kappaText(k)).toBe(want);
  });
});
