// The reference label of a scan as a reviewer sees it, read from the series report (report.series'
// classLabel: the scan's class label, which adjudication sets, with its author and time) or from the
// answer of reads.adjudicate. Checked field by field: a report of another shape gives null, not garbage.

import type { ClassLabelVersion } from '../../../core/api/index.js';
import type { ReferenceLabel } from '../../stores/useReadingStore.js';

const textOrNull = (v: unknown): string | null | undefined => (v === null ? null : typeof v === 'string' ? v : undefined);

/** The reference label in a series report (report.series), or null when the report has none in the expected shape. */
export function referenceFromReport(report: unknown): ReferenceLabel | null {
  const c = (report as { classLabel?: unknown } | null)?.classLabel as Record<string, unknown> | null | undefined;
  if (typeof c !== 'object' || c === null) return null;
  const label = textOrNull(c.label);
  const author = textOrNull(c.author);
  const createdAt = textOrNull(c.createdAt);
  if (label === undefined || author === undefined || createdAt === undefined || typeof c.version !== 'number') return null;
  return { label, version: c.version, author, createdAt };
}

/** The reference label an adjudication just set. */
export function referenceFromVersion(v: ClassLabelVersion): ReferenceLabel {
  return { label: v.label, version: v.version, author: v.author, createdAt: v.createdAt };
}

/** "1 by rev · 6 Dec 2026, 17:02 · v3", "none yet" for a scan without a reference. */
export function referenceText(r: ReferenceLabel, when: (iso: string) => string = (iso) => new Date(iso).toLocaleString()): string {
  if (r.version === 0 || (r.label === null && r.author === null)) return 'none yet';
  const label = r.label ?? 'cleared';
  return `${label} by ${r.author ?? 'unknown'}${r.createdAt !== null ? ` · ${when(r.createdAt)}` : ''} · v${r.version}`;
}
