// Suite `reliability` (issue #15): the five campaigns against the real server and readers, one after the
// other, and their figures in one object. Each campaign's size comes from an environment variable:
//   VOXLAB_BENCH_KILLS (1000)      crash soak: SIGKILLs of `voxlab serve` under a mixed write load
//   (disk full: one campaign on a size-limited tmpfs; skipped, saying why, where mount is not allowed)
//   VOXLAB_BENCH_HTTP_FUZZ (10000) hostile HTTP requests over every route
//   VOXLAB_BENCH_FILE_FUZZ (10000) damaged files per reader: NIfTI, DICOM, PyTorch, safetensors, ONNX
//                                  (one reader's own: VOXLAB_BENCH_FILE_FUZZ_DICOM etc.; DICOM is ~0.3 s a case)
//   VOXLAB_BENCH_LOAD_S (60)       100 connections of mixed reads and writes beside a training run
// VOXLAB_BENCH_RELIABILITY picks campaigns by name (soak,diskfull,http,files,load; default all). The
// figures that must be 0: lost_writes, integrity_failures, http_5xx, crashes.

import path from 'node:path';
import { crashSoak } from '../../core/server/reliability/crashSoak.js';
import { diskFullCampaign } from '../../core/server/reliability/diskFull.js';
import { httpFuzzBench } from '../../core/server/reliability/httpFuzz.js';
import { loadCampaign } from '../../core/server/reliability/load.js';
import type { BenchContext } from './context.js';
import { sharedDir } from './context.js';
import { FILE_FUZZ_TARGETS, runFileFuzz } from './fileFuzz.js';

const CAMPAIGNS = ['soak', 'diskfull', 'http', 'files', 'load'] as const;

const count = (name: string, fallback: number): number => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 0) throw new Error(`${name} must be a whole number, got ${process.env[name]}`);
  return v;
};

/**
 * Runs `campaign`; a campaign that throws (it could not start: dist/ not built, no bin/) is logged and
 * recorded in `errors`, so that the campaigns before and after it still report (a 1,000-kill soak is an hour).
 */
async function guarded<T>(name: string, ctx: BenchContext, errors: string[], campaign: () => Promise<T>): Promise<T | null> {
  try {
    const result = await campaign();
    ctx.log(`reliability: ${name} done: ${JSON.stringify(result).slice(0, 2000)}`);
    return result;
  } catch (e) {
    const message = `${name} could not run: ${(e as Error)?.message ?? String(e)}`;
    ctx.log(`reliability: ${message}`);
    errors.push(message);
    return null;
  }
}

export async function reliabilitySuite(ctx: BenchContext): Promise<Record<string, unknown>> {
  const chosen = new Set((process.env.VOXLAB_BENCH_RELIABILITY ?? CAMPAIGNS.join(',')).split(','));
  const on = (c: (typeof CAMPAIGNS)[number]) => chosen.has(c);
  const details: Record<string, unknown> = {};
  const errors: string[] = [];
  let crashes = 0;
  const note = (lines: readonly string[]) => lines.slice(0, 20).forEach((l) => ctx.log(`reliability: ${l}`));

  let soak: Awaited<ReturnType<typeof crashSoak>> | null = null;
  if (on('soak')) {
    const kills = count('VOXLAB_BENCH_KILLS', 1000);
    ctx.log(`reliability: crash soak, ${kills} kills...`);
    const dicomDir = path.join(sharedDir(), 'data', 'dicom', 'tcia_vs_seg_001_t1_mpr_tra_3slices');
    soak = await guarded('crash soak', ctx, errors, () => crashSoak({ kills, dicomDir, log: (m) => ctx.log(`soak: ${m}`) }));
    if (soak !== null) note(soak.failures);
    details.soak = soak;
  }

  let disk: Awaited<ReturnType<typeof diskFullCampaign>> | null = null;
  if (on('diskfull')) {
    ctx.log('reliability: disk full...');
    disk = await guarded('disk full', ctx, errors, () => diskFullCampaign({ log: (m) => ctx.log(`disk full: ${m}`) }));
    if (disk?.skipped !== undefined) ctx.log(`reliability: disk full skipped: ${disk.skipped}`);
    if (disk !== null) note(disk.failures);
    details.disk_full = disk;
  }

  let http: Awaited<ReturnType<typeof httpFuzzBench>> | null = null;
  if (on('http')) {
    const n = count('VOXLAB_BENCH_HTTP_FUZZ', 10_000);
    ctx.log(`reliability: ${n} hostile HTTP requests...`);
    http = await guarded('hostile HTTP', ctx, errors, () => httpFuzzBench({ count: n }));
    if (http !== null) {
      note(http.failures.map((f) => `${f.outcome} <- ${f.request}`));
      note(http.outside_changes.map((p) => `changed outside the study: ${p}`));
      crashes += http.crashes;
      const { failures, outside_changes, ...counts } = http;
      details.http = { ...counts, failures: failures.length, outside_changes: outside_changes.length };
    }
  }

  let fileCases = 0;
  let fileFailures = 0;
  if (on('files')) {
    const n = count('VOXLAB_BENCH_FILE_FUZZ', 10_000);
    const files: Record<string, unknown> = {};
    for (const target of FILE_FUZZ_TARGETS) {
      const cases = count(`VOXLAB_BENCH_FILE_FUZZ_${target.toUpperCase()}`, n);
      ctx.log(`reliability: ${cases} damaged ${target} files...`);
      const r = await runFileFuzz(target, cases, 1, 4 * 3600_000);
      note(r.notes);
      fileCases += r.cases;
      fileFailures += r.failures;
      crashes += r.crashed;
      files[target] = { cases: r.cases, failures: r.failures, crashed: r.crashed, seconds: r.seconds };
    }
    details.files = files;
  }

  let load: Awaited<ReturnType<typeof loadCampaign>> | null = null;
  if (on('load')) {
    const seconds = count('VOXLAB_BENCH_LOAD_S', 60);
    ctx.log(`reliability: 100 connections and a training run for ${seconds} s...`);
    load = await guarded('load', ctx, errors, () =>
      loadCampaign({ connections: 100, durationMs: seconds * 1000, training: true, log: (m) => ctx.log(`load: ${m}`) }),
    );
    if (load !== null) {
      note(load.failures);
      if (load.server_exit_code !== 0) crashes++;
      const { failures, ...rest } = load;
      details.load = { ...rest, failures: failures.length };
    }
  }

  return {
    kills: soak?.kills ?? null,
    acknowledged_writes: (soak?.acknowledged_writes ?? 0) + (disk?.acknowledged_writes ?? 0),
    lost_writes: (soak?.lost_writes ?? 0) + (disk?.lost_writes ?? 0),
    integrity_failures: soak?.integrity_failures ?? 0,
    enospc_cases: disk?.skipped === undefined ? (disk?.enospc_cases ?? null) : null,
    http_fuzz_cases: http?.http_fuzz_cases ?? null,
    http_5xx: (http?.http_5xx ?? 0) + (load?.http_5xx ?? 0),
    file_fuzz_cases: on('files') ? fileCases : null,
    file_fuzz_failures: on('files') ? fileFailures : null,
    crashes,
    p99_ms: load?.p99_ms ?? null,
    peak_rss_mb: load?.peak_rss_mb ?? null,
    refused_writes: soak?.refused_writes ?? null,
    campaign_errors: errors,
    ...details,
  };
}
