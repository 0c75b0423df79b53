// Reading and writing the small CSV files labels come in (RFC 4180: quoted fields, doubled quotes, CRLF or
// LF line ends, an optional UTF-8 byte order mark). Errors name the line, so a user can fix the file.

import { VoxlabError } from '../common/errors.js';

/** A parsed CSV: the header's column names and each data row with the line it started on (1-based). */
export interface CsvTable {
  readonly columns: readonly string[];
  readonly rows: readonly { readonly line: number; readonly cells: readonly string[] }[];
}

/**
 * Parses CSV text whose first row is a header. Blank lines are skipped. Throws CSV_INVALID (naming `source`
 * and the line) for an empty file, an empty or repeated column name, an unterminated quote, or a row with
 * another number of cells than the header.
 */
export function parseCsv(text: string, source: string): CsvTable {
  const records = splitRecords(text.startsWith('\uFEFF') ? text.slice(1) : text, source);
  const header = records.shift();
  if (header === undefined) throw new VoxlabError('CSV_INVALID', `${source} is empty: it needs a header row such as "file,label"`, { source });
  const columns = header.cells.map((c) => c.trim());
  columns.forEach((c, k) => {
    if (c === '') throw new VoxlabError('CSV_INVALID', `${source}: column ${k + 1} of the header has no name`, { source, line: header.line });
    if (columns.indexOf(c) !== k) throw new VoxlabError('CSV_INVALID', `${source}: the header names the column "${c}" twice`, { source, line: header.line });
  });
  for (const r of records) {
    if (r.cells.length !== columns.length) {
      throw new VoxlabError('CSV_INVALID', `${source} line ${r.line}: ${r.cells.length} cells, but the header has ${columns.length} columns`, { source, line: r.line });
    }
  }
  return { columns, rows: records };
}

/** Splits text into records of cells, honouring quotes; drops blank lines. */
function splitRecords(text: string, source: string): { line: number; cells: string[] }[] {
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  const endRecord = () => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0]!.trim() === '')) records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      quoteLine = line;
      cell = '';
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else cell += ch;
  }
  if (quoted) throw new VoxlabError('CSV_INVALID', `${source}: the quote opened on line ${quoteLine} is never closed`, { source, line: quoteLine });
  if (cell !== '' || cells.length > 0) endRecord();
  return records;
}

/** One CSV field: quoted when it holds a comma, quote, line break or leading/trailing space. */
function field(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** CSV text (LF line ends, trailing newline) of a header and rows; null cells are written empty. */
export function toCsv(columns: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const lines = [columns.map(field).join(',')];
  for (const row of rows) lines.push(row.map((v) => field(v === null ? '' : String(v))).join(','));
  return `${lines.join('\n')}\n`;
}
