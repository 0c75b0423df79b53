// What every benchmark suite gets: the MONAI/PyTorch reference timings and a stderr logger.

import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BenchContext {
  /** shared/reference/monai_cpu_timings.json, or {} when that folder is not there. */
  readonly reference: Readonly<Record<string, unknown>>;
  readonly log: (message: string) => void;
}

/** The shared folder: $VOXLAB_SHARED, else ../shared beside the checkout. */
export function sharedDir(): string {
  return process.env.VOXLAB_SHARED ?? join(process.cwd(), '..', 'shared');
}

export function loadReference(): Record<string, unknown> {
  const path = join(sharedDir(), 'reference', 'monai_cpu_timings.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {};
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs `fn` `runs` times after one warm-up and returns the seconds of each run. */
export async function timeRuns(runs: number, fn: () => Promise<void> | void): Promise<number[]> {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return out;
}

/** `ours / theirs` rounded, or null when the reference lacks the figure. */
export function ratio(ours: number, reference: unknown): number | null {
  return typeof reference === 'number' && reference > 0 ? Math.round((ours / reference) * 1000) / 1000 : null;
}

/**
 * Runs `fn` in a new temporary folder (name starting `prefix`), removed afterwards unless `keep` (then its
 * path is logged, for looking at the cohort and models a suite made).
 */
export async function inTempDir<T>(ctx: BenchContext, prefix: string, keep: boolean, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fsp.mkdtemp(join(tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    if (keep) ctx.log(`kept ${dir}`);
    else await fsp.rm(dir, { recursive: true, force: true });
  }
}
