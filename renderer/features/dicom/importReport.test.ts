// Import job results read without trusting their shape, and summed up in a line.

import { describe, expect, it } from 'vitest';
import { readImportReport, reportSummary } from './importReport.js';

describe('readImportReport', () => {
  it('reads a report', () => {
    const report = readImportReport({
      imported: [{ imageId: '19_t1', series: '19_t1 (MR)' }],
      skipped: [{ series: '20_loc', reason: 'already in the study' }],
      warnings: ['Warning: slices not equidistant'],
    });
    expect(report).toEqual({
      imported: [{ imageId: '19_t1', series: '19_t1 (MR)' }],
      skipped: [{ series: '20_loc', reason: 'already in the study' }],
      warnings: ['Warning: slices not equidistant'],
    });
  });
  it.each([null, 'text', [], { imported: 'x', skipped: [null, 3], warnings: [1, 'w'] }, { imported: [{ series: 'no id' }] }])(
    'tolerates %j',
    (result) => {
      const report = readImportReport(result as never);
      expect(report.imported).toEqual([]);
      expect(Array.isArray(report.skipped) && Array.isArray(report.warnings)).toBe(true);
    },
  );
});

describe('reportSummary', () => {
  it.each([
    [{ imported: [{ imageId: 'a', series: 'a' }], skipped: [], warnings: [] }, '1 series imported'],
    [{ imported: [], skipped: [{ series: 's', reason: 'r' }], warnings: ['w', 'v'] }, 'No series imported, 1 skipped, 2 warnings'],
    [{ imported: [{ imageId: 'a', series: '' }, { imageId: 'b', series: '' }], skipped: [], warnings: ['w'] }, '2 series imported, 1 warning'],
  ])('%j → %s', (report, want) => {
    expect(reportSummary(report)).toBe(want);
  });
});
