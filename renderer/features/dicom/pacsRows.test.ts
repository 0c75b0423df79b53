// PACS search results as table rows (formatting, order, "in study"), the initial selection, and the dialog's
// fields checked and turned into the contract's query.

import { describe, expect, it } from 'vitest';
import type { PacsSeries } from '../../../core/api/index.js';
import { dicomDate, importable, initialSelection, pacsQuery, pacsRows, personName } from './pacsRows.js';

const series = (over: Partial<PacsSeries>): PacsSeries => ({
  studyInstanceUid: '1.2.3',
  seriesInstanceUid: '1.2.3.1',
  patientId: 'P1',
  patientName: 'Doe^Jane',
  studyDate: '20240105',
  studyDescription: 'Head',
  modality: 'MR',
  seriesNumber: 2,
  seriesDescription: 't1_mprage',
  instances: 176,
  imported: false,
  ...over,
});

describe('pacsRows', () => {
  it('formats a series for people', () => {
    expect(pacsRows([series({})])).toEqual([
      expect.objectContaining({
        uid: '1.2.3.1',
        patientId: 'P1',
        patientName: 'Doe, Jane',
        studyDate: '2024-01-05',
        studyDescription: 'Head',
        modality: 'MR',
        series: '2 · t1_mprage',
        instances: '176',
        inStudy: false,
      }),
    ]);
  });

  it('shows missing fields as empty and keeps a series without number or description readable', () => {
    const [row] = pacsRows([
      series({ patientId: null, patientName: null, studyDate: null, modality: null, seriesNumber: null, seriesDescription: null, instances: null }),
    ]);
    expect(row).toMatchObject({ patientId: '', patientName: '', studyDate: '', modality: '', series: '', instances: '' });
  });

  it('orders newest study first, then patient, then series number', () => {
    const rows = pacsRows([
      series({ seriesInstanceUid: 'old', studyDate: '20200101' }),
      series({ seriesInstanceUid: 'new-s3', seriesNumber: 3 }),
      series({ seriesInstanceUid: 'new-s1', seriesNumber: 1 }),
      series({ seriesInstanceUid: 'undated', studyDate: null }),
      series({ seriesInstanceUid: 'new-p0', patientId: 'P0', seriesNumber: 9 }),
    ]);
    expect(rows.map((r) => r.uid)).toEqual(['new-p0', 'new-s1', 'new-s3', 'old', 'undated']);
  });

  it('selects only the series not yet in the study', () => {
    const found = [series({ seriesInstanceUid: 'a' }), series({ seriesInstanceUid: 'b', imported: true }), series({ seriesInstanceUid: 'c' })];
    expect(initialSelection(found)).toEqual(['a', 'c']);
    expect(pacsRows(found).find((r) => r.uid === 'b')!.inStudy).toBe(true);
  });

  it.each([
    ['SEG', true],
    [' seg ', true],
    ['SR', true],
    ['MR', false],
    ['CT', false],
    [null, false],
  ])('a %j series is not a scan: %j (shown, never selected)', (modality, notAScan) => {
    const found = [series({ seriesInstanceUid: 'x', modality })];
    expect(pacsRows(found)[0]!.notAScan).toBe(notAScan);
    expect(importable(found[0]!)).toBe(!notAScan);
    expect(initialSelection(found)).toEqual(notAScan ? [] : ['x']);
  });
});

describe('dicomDate and personName', () => {
  it.each([
    ['20240105', '2024-01-05'],
    ['2024', '2024'],
    [null, ''],
  ])('date %j → %j', (raw, want) => expect(dicomDate(raw)).toBe(want));
  it.each([
    ['Doe^Jane^^Dr', 'Doe, Jane, Dr'],
    ['Rorden Lab', 'Rorden Lab'],
    ['Yamada^Tarou=山田^太郎', 'Yamada, Tarou'],
    [null, ''],
  ])('name %j → %j', (raw, want) => expect(personName(raw)).toBe(want));
});

describe('pacsQuery', () => {
  const form = { url: 'http://localhost:8042/dicom-web/', authorization: '', modality: '', since: '' };
  it.each([
    [{}, { url: 'http://localhost:8042/dicom-web' }],
    [{ modality: ' mr ', since: '2024-01-31' }, { url: 'http://localhost:8042/dicom-web', filter: { Modality: 'MR' }, since: '20240131' }],
    [{ authorization: ' Basic dXNlcjpwYXNz ' }, { url: 'http://localhost:8042/dicom-web', authorization: 'Basic dXNlcjpwYXNz' }],
  ])('turns %j into a query', (over, want) => {
    expect(pacsQuery({ ...form, ...over })).toEqual({ query: want });
  });
  it.each([
    [{ url: ' ' }, /Enter the DICOMweb URL/],
    [{ url: 'localhost:8042' }, /http:\/\/ or https:\/\//],
    [{ url: 'not a url' }, /is not a URL/],
    [{ modality: 'MR,CT' }, /not a DICOM modality code/],
    [{ since: '31.01.2024' }, /YYYY-MM-DD/],
  ])('refuses %j in words', (over, problem) => {
    const answer = pacsQuery({ ...form, ...over });
    expect('problem' in answer && answer.problem).toMatch(problem);
  });
});
