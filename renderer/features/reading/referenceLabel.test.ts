// The reference label shown to a reviewer comes from the series report (with who set it and when) or the
// adjudication's answer; a report without one, or of another shape, shows nothing rather than garbage.

import { describe, expect, it } from 'vitest';
import { referenceFromReport, referenceFromVersion, referenceText } from './referenceLabel.js';

const iso = (s: string) => `at ${s}`;

describe('referenceFromReport', () => {
  it.each([
    [{ classLabel: { label: '1', author: 'rev', createdAt: '2026-12-06T17:00:00Z', version: 3 } }, { label: '1', author: 'rev', createdAt: '2026-12-06T17:00:00Z', version: 3 }],
    [{ classLabel: { label: null, author: null, createdAt: null, version: 0 } }, { label: null, author: null, createdAt: null, version: 0 }],
    [{ classLabel: { label: 1, author: 'rev', createdAt: null, version: 3 } }, null],
    [{ classLabel: null }, null],
    [{}, null],
    [null, null],
  ])('%j -> %j', (report, want) => {
    expect(referenceFromReport(report)).toEqual(want);
  });
});

describe('referenceText', () => {
  it.each([
    [{ label: '1', author: 'rev', createdAt: 'T', version: 3 }, '1 by rev · at T · v3'],
    [{ label: null, author: 'rev', createdAt: 'T', version: 4 }, 'cleared by rev · at T · v4'],
    [{ label: null, author: null, createdAt: null, version: 0 }, 'none yet'],
  ])('%j -> %s', (r, want) => {
    expect(referenceText(r, iso)).toBe(want);
  });

  it('an adjudication answer names its author and version', () => {
    const r = referenceFromVersion({
      imageId: 'a', version: 5, label: '0', author: 'rev', createdAt: 'T', note: 'adjudicated', conflict: false, expectedVersion: 4,
    });
    expect(referenceText(r, iso)).toBe('0 by rev · at T · v5');
  });
});
