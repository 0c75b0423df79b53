// The agreement report as lines of text for the CLI (`voxlab agreement --study S`); the JSON form is the
// report itself.

import type { AgreementReport } from './agreement.js';
import type { CohenKappa } from './cohenKappa.js';

export interface FormatAgreementOptions {
  /** Disagreeing scans listed one per line before "... and N more" (default 10; 0 lists none). */
  readonly maxDisagreements?: number;
}

const fixed2 = (v: number): string => (Math.abs(v) < 0.005 ? 0 : v).toFixed(2);
const percent = (v: number): string => `${(100 * v).toFixed(1)}%`;
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** "0.40 (95% CI 0.15–0.65)", or "undefined (reason)". */
export function formatKappa(k: CohenKappa): string {
  if (k.kappa === null) return `undefined (${k.reason ?? 'not computed'})`;
  const ci =
    k.ci === null ? '' : ` (${Math.round(k.ci.level * 100)}% CI ${fixed2(k.ci.lower)}–${fixed2(k.ci.upper)})`;
  return `${fixed2(k.kappa)}${ci}`;
}

function headline(r: AgreementReport): string[] {
  const c = r.counts;
  const lines = [
    `${plural(c.scans, 'scan')}, ${plural(c.reads, 'read')} by ${plural(c.readers, 'reader')}; ${c.scansWithTwoOrMoreReads} read at least twice`,
  ];
  const pa = r.percentAgreement;
  lines.push(
    pa.pairwise === null || pa.unanimous === null
      ? `Percent agreement: undefined (${pa.reason ?? 'not computed'})`
      : `Percent agreement ${percent(pa.pairwise)} (agreeing pairs of reads), ${percent(pa.unanimous)} of scans unanimous, over ${plural(pa.scans, 'scan')}`,
  );
  if (r.readers.length === 2)
    lines.push(`Cohen's kappa ${formatKappa(r.cohen)}, ${plural(r.cohen.scans, 'scan')} read by both`);
  const f = r.fleiss;
  const left = f.scansLeftOut.length > 0 ? `; ${plural(f.scansLeftOut.length, 'scan')} left out` : '';
  const fleissValue =
    f.kappa === null
      ? `undefined (${f.reason ?? 'not computed'})`
      : `${fixed2(f.kappa)}${f.z === null ? '' : ` (z ${f.z.toFixed(1)} for kappa = 0)`}`;
  const used =
    f.readsPerScan === null
      ? ''
      : `, ${plural(f.scansUsed.length, 'scan')} read ${f.readsPerScan} times each`;
  lines.push(`Fleiss' kappa ${fleissValue}${used}${left}`);
  const a = r.krippendorff;
  lines.push(
    `Krippendorff's alpha (nominal) ${a.alpha === null ? `undefined (${a.reason ?? 'not computed'})` : fixed2(a.alpha)}, ${plural(a.scans, 'scan')} read at least twice`,
  );
  return lines;
}

function classLines(r: AgreementReport): string[] {
  const width = Math.max(...r.classes.map((c) => c.length));
  return [
    'Per class:',
    ...r.perClass.map((c) => {
      const specific =
        c.specificAgreement === null
          ? 'specific agreement undefined'
          : `specific agreement ${percent(c.specificAgreement)}`;
      const kappa =
        r.readers.length === 2
          ? `Cohen's kappa ${formatKappa(c.cohen)}`
          : `Fleiss' kappa ${c.fleiss.kappa === null ? `undefined (${c.fleiss.reason ?? 'not computed'})` : fixed2(c.fleiss.kappa)}`;
      return `  ${c.className.padEnd(width)}  ${plural(c.reads, 'read')}, ${specific}, ${kappa}`;
    }),
  ];
}

function confusionLines(r: AgreementReport): string[] {
  const pair = r.pairs[0];
  if (pair === undefined) return [];
  const cells = [['', ...r.classes], ...pair.confusion.map((row, i) => [r.classes[i]!, ...row.map(String)])];
  const widths = cells[0]!.map((_, j) => Math.max(...cells.map((row) => row[j]!.length)));
  return [
    `Confusion (rows ${pair.readers[0]}, columns ${pair.readers[1]}):`,
    ...cells.map(
      (row) =>
        `  ${row.map((cell, j) => (j === 0 ? cell.padEnd(widths[j]!) : cell.padStart(widths[j]!))).join('  ')}`,
    ),
  ];
}

function pairLines(r: AgreementReport): string[] {
  if (r.readers.length <= 2) return confusionLines(r);
  return [
    'Reader pairs:',
    ...r.pairs.map((p) => {
      const pa = p.percentAgreement === null ? '' : `, agreement ${percent(p.percentAgreement)}`;
      return `  ${p.readers[0]} vs ${p.readers[1]}: Cohen's kappa ${formatKappa(p.cohen)}${pa}, ${plural(p.scans, 'scan')} read by both`;
    }),
  ];
}

function disagreementLines(r: AgreementReport, max: number): string[] {
  const d = r.disagreements;
  const shown = d
    .slice(0, max)
    .map((s) => `  ${s.imageId}: ${s.labels.map((l) => `${l.reader} ${l.label}`).join(', ')}`);
  const more = d.length > max ? [`  ... and ${d.length - max} more`] : [];
  return [`Disagreements: ${plural(d.length, 'scan')}`, ...shown, ...more];
}

/**
 * The report as lines for a terminal (no trailing newlines): counts, percent agreement, Cohen's kappa
 * with its confidence interval (two readers), Fleiss' kappa, Krippendorff's alpha, per class, the
 * confusion matrix (two readers) or each reader pair (more), and the disagreeing scans.
 */
export function formatAgreement(report: AgreementReport, options: FormatAgreementOptions = {}): string[] {
  const max = Math.max(0, Math.floor(options.maxDisagreements ?? 10));
  return [
    ...headline(report),
    ...classLines(report),
    ...pairLines(report),
    ...disagreementLines(report, max),
  ];
}
