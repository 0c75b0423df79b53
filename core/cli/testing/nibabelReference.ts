// Test helper: shared/reference/nifti_nibabel.json (what nibabel 5.0 reads from every shared NIfTI file)
// and a comparison of `voxlab info --json` output with one of its entries.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SHARED = process.env.VOXLAB_SHARED ?? join(import.meta.dirname, '..', '..', '..', '..', 'shared');

export interface NibabelEntry {
  readonly volume: boolean;
  readonly shape?: number[];
  readonly datatype?: string;
  readonly endianness?: string;
  readonly nifti_version: number;
  readonly pixdim?: number[];
  readonly sform_code?: number;
  readonly qform_code?: number;
  readonly affine?: number[][];
  readonly axcodes?: string;
  readonly scl_slope?: number;
  readonly scl_inter?: number;
  readonly stats?: { min: number; max: number; mean: number; std: number };
  readonly samples?: { ijk: number[]; value: number }[];
}

/** Every entry, keyed by path relative to shared/data. */
export function nibabelReference(): Record<string, NibabelEntry> {
  return JSON.parse(readFileSync(join(SHARED, 'reference', 'nifti_nibabel.json'), 'utf8')) as Record<string, NibabelEntry>;
}

const close = (a: number, b: number, rel: number, abs = 0): boolean => Math.abs(a - b) <= Math.max(abs, rel * Math.max(Math.abs(a), Math.abs(b)));

/**
 * Differences between `info` (voxlab's JSON) and nibabel's `ref`, as readable strings; [] = agreement.
 * Affine 1e-4 absolute; statistics and samples 1e-4 relative (1e-6 absolute near zero), as issue #2 asks.
 */
export function diffWithNibabel(info: Record<string, unknown>, ref: NibabelEntry, withSamples: boolean): string[] {
  const out: string[] = [];
  const same = (key: string, a: unknown, b: unknown): void => {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${key}: voxlab ${JSON.stringify(a)} vs nibabel ${JSON.stringify(b)}`);
  };
  for (const key of ['shape', 'datatype', 'endianness', 'nifti_version', 'sform_code', 'qform_code', 'axcodes'] as const) same(key, info[key], ref[key]);
  (ref.pixdim ?? []).forEach((p, d) => {
    if (!close((info.pixdim as number[])[d]!, p, 1e-6)) out.push(`pixdim[${d}]: ${String((info.pixdim as number[])[d])} vs ${p}`);
  });
  (ref.affine ?? []).forEach((row, r) =>
    row.forEach((v, c) => {
      const ours = (info.affine as number[][])[r]![c]!;
      if (Math.abs(ours - v) > 1e-4) out.push(`affine[${r}][${c}]: ${ours} vs ${v}`);
    }),
  );
  for (const key of ['scl_slope', 'scl_inter'] as const) if (!close(info[key] as number, ref[key]!, 1e-6, 1e-6)) out.push(`${key}: ${String(info[key])} vs ${ref[key]}`);
  const stats = info.stats as Record<string, number>;
  for (const key of ['min', 'max', 'mean', 'std'] as const) {
    if (!close(stats[key]!, ref.stats![key], 1e-4, 1e-6)) out.push(`stats.${key}: ${stats[key]} vs ${ref.stats![key]}`);
  }
  if (withSamples) {
    const samples = info.samples as { ijk: number[]; value: number }[];
    ref.samples!.forEach((s, n) => {
      const ours = samples[n];
      if (!ours || JSON.stringify(ours.ijk) !== JSON.stringify(s.ijk) || !close(ours.value, s.value, 1e-4, 1e-6)) {
        out.push(`sample [${s.ijk.join(',')}]: ${JSON.stringify(ours)} vs ${s.value}`);
      }
    });
  }
  return out;
}
