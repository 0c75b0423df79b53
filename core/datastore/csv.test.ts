import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads quotes, doubled quotes, CRLF, a BOM and skips blank lines', () => {
    const t = parseCsv('\uFEFFfile,label\r\n"a,b.nii","say ""hi"""\r\n\r\nc.nii,M\n', 'x.csv');
    expect(t.columns).toEqual(['file', 'label']);
    expect(t.rows).toEqual([
      { line: 2, cells: ['a,b.nii', 'say "hi"'] },
      { line: 4, cells: ['c.nii', 'M'] },
    ]);
  });

  it('keeps line numbers right across quoted line breaks', () => {
    const t = parseCsv('file,note\na.nii,"two\nlines"\nb.nii,x', 'x.csv');
    expect(t.rows.map((r) => r.line)).toEqual([2, 4]);
    expect(t.rows[0]!.cells[1]).toBe('two\nlines');
  });

  it.each([
    ['', /empty/],
    ['file,label\na.nii', /line 2: 1 cells, but the header has 2/],
    ['file,,label\n', /column 2 of the header has no name/],
    ['file,file\n', /names the column "file" twice/],
    ['file,label\n"a.nii,M\n', /quote opened on line 2 is never closed/],
  ])('rejects %j', (text, message) => {
    expect(() => parseCsv(text, 'bad.csv')).toThrow(expect.objectContaining({ code: 'CSV_INVALID', message: expect.stringMatching(message) }));
  });
});

it('toCsv quotes what needs it and parses back', () => {
  const text = toCsv(['image', 'label'], [['a, b.nii', 'say "x"'], ['c.nii', null]]);
  expect(text).toBe('image,label\n"a, b.nii","say ""x"""\nc.nii,\n');
  expect(parseCsv(text, 'round.csv').rows.map((r) => r.cells)).toEqual([['a, b.nii', 'say "x"'], ['c.nii', '']]);
});
