// The agreement report (agreement.report, core/agreement's AgreementReport as JSON) read into what the
// Reading panel shows, checked field by field: the renderer may not import core/agreement, and a report
// of another shape must fail in words, not as "undefined" on screen. Formatting as the CLI does.

import { VoxlabError } from '../../../core/common/errors.js';

/** A kappa as shown: the value, its confidence interval where the report gives one, or why it is undefined. */
export interface KappaView {
  readonly kappa: number | null;
  readonly ci: { readonly lower: number; readonly upper: number; readonly level: number } | null;
  readonly reason: string | null;
  /** Scans it was computed over (Cohen: read by both; Fleiss: the scans used). */
  readonly scans: number;
}

export interface AgreementView {
  readonly readers: readonly string[];
  readonly classes: readonly string[];
  readonly scans: number;
  readonly reads: number;
  readonly scansReadTwice: number;
  /** Mean fraction of agreeing pairs of reads (two readers: the fraction of scans they agree on); null with reason. */
  readonly percent: number | null;
  readonly unanimous: number | null;
  readonly percentReason: string | null;
  /** Cohen's kappa for exactly two readers, else null (see fleiss). */
  readonly cohen: KappaView | null;
  readonly fleiss: KappaView;
  readonly krippendorff: { readonly alpha: number | null; readonly reason: string | null };
  /** Per class: reads, specific agreement, and the kappa of "this class or not" (Cohen's with two readers, else Fleiss'). */
  readonly perClass: readonly {
    readonly className: string;
    readonly reads: number;
    readonly specificAgreement: number | null;
    readonly kappa: KappaView;
  }[];
  /** Every pair of readers: scans both read, their agreement, and the confusion (rows readers[0], columns readers[1]). */
  readonly pairs: readonly {
    readonly readers: readonly [string, string];
    readonly scans: number;
    readonly percent: number | null;
    readonly kappa: KappaView;
    readonly confusion: readonly (readonly number[])[];
  }[];
  /** Scans read at least twice whose reads differ. */
  readonly disagreements: readonly { readonly imageId: string; readonly labels: readonly { readonly reader: string; readonly label: string }[] }[];
}

type Obj = Record<string, unknown>;

function bad(path: string, want: string): never {
  throw new VoxlabError('BAD_ARGUMENT', `agreement.report: the server's answer has no ${want} at ${path}; is the server a different voxlab version?`);
}
function obj(v: unknown, path: string): Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : bad(path, 'object');
}
function arr(v: unknown, path: string): unknown[] {
  return Array.isArray(v) ? v : bad(path, 'list');
}
function num(v: unknown, path: string): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : bad(path, 'number');
}
function numOrNull(v: unknown, path: string): number | null {
  return v === null || v === undefined ? null : num(v, path);
}
function str(v: unknown, path: string): string {
  return typeof v === 'string' ? v : bad(path, 'text');
}
function strOrNull(v: unknown, path: string): string | null {
  return v === null || v === undefined ? null : str(v, path);
}

function kappaOf(v: unknown, path: string): KappaView {
  const k = obj(v, path);
  const ci = k.ci === null || k.ci === undefined ? null : obj(k.ci, `${path}.ci`);
  return {
    kappa: numOrNull(k.kappa, `${path}.kappa`),
    ci: ci === null ? null : { lower: num(ci.lower, `${path}.ci.lower`), upper: num(ci.upper, `${path}.ci.upper`), level: num(ci.level, `${path}.ci.level`) },
    reason: strOrNull(k.reason, `${path}.reason`),
    scans: typeof k.scans === 'number' ? k.scans : Array.isArray(k.scansUsed) ? k.scansUsed.length : 0,
  };
}

/** Reads the JSON of agreement.report. Throws BAD_ARGUMENT naming the first field that is not as expected. */
export function parseAgreement(json: unknown): AgreementView {
  const r = obj(json, 'report');
  const readers = arr(r.readers, 'readers').map((x, i) => str(x, `readers[${i}]`));
  const counts = obj(r.counts, 'counts');
  const pa = obj(r.percentAgreement, 'percentAgreement');
  const two = readers.length === 2;
  return {
    readers,
    classes: arr(r.classes, 'classes').map((x, i) => str(x, `classes[${i}]`)),
    scans: num(counts.scans, 'counts.scans'),
    reads: num(counts.reads, 'counts.reads'),
    scansReadTwice: num(counts.scansWithTwoOrMoreReads, 'counts.scansWithTwoOrMoreReads'),
    percent: numOrNull(pa.pairwise, 'percentAgreement.pairwise'),
    unanimous: numOrNull(pa.unanimous, 'percentAgreement.unanimous'),
    percentReason: strOrNull(pa.reason, 'percentAgreement.reason'),
    cohen: two ? kappaOf(r.cohen, 'cohen') : null,
    fleiss: kappaOf(r.fleiss, 'fleiss'),
    krippendorff: (() => {
      const a = obj(r.krippendorff, 'krippendorff');
      return { alpha: numOrNull(a.alpha, 'krippendorff.alpha'), reason: strOrNull(a.reason, 'krippendorff.reason') };
    })(),
    perClass: arr(r.perClass, 'perClass').map((x, i) => {
      const c = obj(x, `perClass[${i}]`);
      return {
        className: str(c.className, `perClass[${i}].className`),
        reads: num(c.reads, `perClass[${i}].reads`),
        specificAgreement: numOrNull(c.specificAgreement, `perClass[${i}].specificAgreement`),
        kappa: two ? kappaOf(c.cohen, `perClass[${i}].cohen`) : kappaOf(c.fleiss, `perClass[${i}].fleiss`),
      };
    }),
    pairs: arr(r.pairs, 'pairs').map((x, i) => {
      const p = obj(x, `pairs[${i}]`);
      const names = arr(p.readers, `pairs[${i}].readers`).map((n, j) => str(n, `pairs[${i}].readers[${j}]`));
      if (names.length !== 2) bad(`pairs[${i}].readers`, 'two readers');
      return {
        readers: [names[0]!, names[1]!] as const,
        scans: num(p.scans, `pairs[${i}].scans`),
        percent: numOrNull(p.percentAgreement, `pairs[${i}].percentAgreement`),
        kappa: kappaOf(p.cohen, `pairs[${i}].cohen`),
        confusion: arr(p.confusion, `pairs[${i}].confusion`).map((row, a) =>
          arr(row, `pairs[${i}].confusion[${a}]`).map((n, b) => num(n, `pairs[${i}].confusion[${a}][${b}]`)),
        ),
      };
    }),
    disagreements: arr(r.disagreements, 'disagreements').map((x, i) => {
      const d = obj(x, `disagreements[${i}]`);
      return {
        imageId: str(d.imageId, `disagreements[${i}].imageId`),
        labels: arr(d.labels, `disagreements[${i}].labels`).map((l, j) => {
          const o = obj(l, `disagreements[${i}].labels[${j}]`);
          return { reader: str(o.reader, `disagreements[${i}].labels[${j}].reader`), label: str(o.label, `disagreements[${i}].labels[${j}].label`) };
        }),
      };
    }),
  };
}

/** Two decimals, no "-0.00". */
export const fixed2 = (v: number): string => (Math.abs(v) < 0.005 ? 0 : v).toFixed(2);

/** "75.0%"; "—" for null. */
export const percentText = (v: number | null): string => (v === null ? '—' : `${(100 * v).toFixed(1)}%`);

/** "0.50" and, where the report gives one, " (95% CI 0.02–0.98)"; "undefined (reason)" when there is no value. */
export function kappaText(k: KappaView): string {
  if (k.kappa === null) return `undefined (${k.reason ?? 'not computed'})`;
  const ci = k.ci === null ? '' : ` (${Math.round(k.ci.level * 100)}% CI ${fixed2(k.ci.lower)}–${fixed2(k.ci.upper)})`;
  return `${fixed2(k.kappa)}${ci}`;
}
