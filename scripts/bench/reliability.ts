// Suite `reliability` (issue #15): hostile input over HTTP. VOXLAB_BENCH_HTTP_FUZZ requests (default 10000)
// from core/server/reliability against a temp study; 5xx, crashes and changes outside the study must be 0.

import { httpFuzzBench } from '../../core/server/reliability/httpFuzz.js';
import type { BenchContext } from './context.js';

export async function reliabilitySuite(ctx: BenchContext): Promise<Record<string, unknown>> {
  const count = Number(process.env.VOXLAB_BENCH_HTTP_FUZZ ?? 10_000);
  const { failures, outside_changes, ...counts } = await httpFuzzBench({ count });
  for (const f of failures.slice(0, 20)) ctx.log(`reliability: ${f.outcome} <- ${f.request}`);
  for (const p of outside_changes.slice(0, 20)) ctx.log(`reliability: changed outside the study: ${p}`);
  return { ...counts, outside_changes: outside_changes.length };
}
