import { describe, expect, it } from 'vitest';
import { agreement } from './agreement.js';
import { formatAgreement } from './formatAgreement.js';
import { readsFromCounts, readsFromTable, WIKIPEDIA_COHEN, WIKIPEDIA_FLEISS } from './testing/fixtures.js';

describe('formatAgreement', () => {
  it("two readers: Wikipedia's example reads 'Cohen's kappa 0.40 (95% CI 0.15–0.65), 50 scans read by both'", () => {
    const lines = formatAgreement(
      agreement(
        readsFromTable(WIKIPEDIA_COHEN.table, WIKIPEDIA_COHEN.classes, ['alice', 'bob']),
        WIKIPEDIA_COHEN.classes,
      ),
      {
        maxDisagreements: 2,
      },
    );
    expect(lines).toEqual([
      '50 scans, 100 reads by 2 readers; 50 read at least twice',
      'Percent agreement 70.0% (agreeing pairs of reads), 70.0% of scans unanimous, over 50 scans',
      "Cohen's kappa 0.40 (95% CI 0.15–0.65), 50 scans read by both",
      // Fleiss' kappa with two readers is Scott's pi, pooled p = (0.55, 0.45): (0.7 - 0.505) / 0.495 = 0.394;
      // its SE under H0 is sqrt(2 / (50 * 2 * 1)) here, so z = 2.79. Alpha = 1 - 99 * 30 / 4950 = 0.40.
      "Fleiss' kappa 0.39 (z 2.8 for kappa = 0), 50 scans read 2 times each",
      "Krippendorff's alpha (nominal) 0.40, 50 scans read at least twice",
      'Per class:',
      "  yes  55 reads, specific agreement 72.7%, Cohen's kappa 0.40 (95% CI 0.15–0.65)",
      "  no   45 reads, specific agreement 66.7%, Cohen's kappa 0.40 (95% CI 0.15–0.65)",
      'Confusion (rows alice, columns bob):',
      '       yes  no',
      '  yes   20   5',
      '  no    10  15',
      'Disagreements: 15 scans',
      '  scan-0021: alice yes, bob no',
      '  scan-0022: alice yes, bob no',
      '  ... and 13 more',
    ]);
  });

  it('more readers: Fleiss per class and one line per reader pair', () => {
    const classes = ['c1', 'c2', 'c3', 'c4', 'c5'];
    const lines = formatAgreement(agreement(readsFromCounts(WIKIPEDIA_FLEISS.counts, classes), classes), {
      maxDisagreements: 0,
    });
    expect(lines.some((l) => l.startsWith("Cohen's kappa"))).toBe(false);
    expect(lines).toContainEqual(
      expect.stringMatching(/^Fleiss' kappa 0\.21 \(z \d+\.\d for kappa = 0\), 10 scans read 14 times each$/),
    );
    expect(lines.filter((l) => / vs /.test(l))).toHaveLength(91);
    expect(lines.at(-1)).toBe('  ... and 9 more');
  });

  it('says in words why a statistic is undefined', () => {
    const lines = formatAgreement(agreement([{ imageId: 's1', reader: 'x', label: 'a' }], ['a', 'b']));
    expect(lines).toContain('Percent agreement: undefined (no scan has two or more reads)');
    expect(lines).toContain("Fleiss' kappa undefined (no scan has two or more reads); 1 scan left out");
    expect(lines.at(-1)).toBe('Disagreements: 0 scans');
  });
});
