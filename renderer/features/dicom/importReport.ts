// The DicomImportReport of a finished import job, read defensively (a job's result crosses the contract as
// JSON), and summed up in one line for the reader.

import type { DicomImportReport, Json } from '../../../core/api/index.js';

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const rows = (v: unknown): Record<string, unknown>[] =>
  Array.isArray(v) ? v.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null) : [];

/** The report in a job's result; missing or odd fields become empty lists (never a crash in the panel). */
export function readImportReport(result: Json | null): DicomImportReport {
  const r = (typeof result === 'object' && result !== null && !Array.isArray(result) ? result : {}) as Record<string, unknown>;
  return {
    imported: rows(r.imported)
      .filter((i) => text(i.imageId) !== '')
      .map((i) => ({ imageId: text(i.imageId), series: text(i.series) })),
    skipped: rows(r.skipped).map((s) => ({ series: text(s.series), reason: text(s.reason) })),
    warnings: Array.isArray(r.warnings) ? r.warnings.filter((w): w is string => typeof w === 'string') : [],
  };
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "2 series imported, 1 skipped, 3 warnings" (nothing imported says so). */
export function reportSummary(report: DicomImportReport): string {
  const parts = [report.imported.length === 0 ? 'No series imported' : `${count(report.imported.length, 'series', 'series')} imported`];
  if (report.skipped.length > 0) parts.push(`${report.skipped.length} skipped`);
  if (report.warnings.length > 0) parts.push(count(report.warnings.length, 'warning'));
  return parts.join(', ');
}
