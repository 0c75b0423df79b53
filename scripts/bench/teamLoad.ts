// The `team` load (issue #13): N readers with their own accounts label a blinded study at once through one
// server for a while, mixing reads (list, label, image) with writes (labels.set with the version they saw),
// and every acknowledged write is checked afterwards: present with its label, version and reader (no lost
// and no misattributed write), and in the audit log under that reader's account.

import { createClient, httpTransport, type CoreApi } from '../../core/api/index.js';
import { VoxlabError } from '../../core/common/errors.js';

/** What the load reports. */
export interface TeamLoadReport {
  readonly readers: number;
  readonly seconds: number;
  readonly requests: number;
  readonly requests_per_s: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  /** Answers that were not the expected result (5xx, network, or an unexpected code). */
  readonly errors: number;
  readonly acknowledged_writes: number;
  readonly lost_writes: number;
  readonly misattributed_writes: number;
  /** Acknowledged writes without their audit row (account, target, version). */
  readonly unaudited_writes: number;
}

interface Ack {
  readonly reader: string;
  readonly imageId: string;
  readonly version: number;
  readonly label: string;
}

/**
 * Runs the load against `baseUrl`: one client per entry of `readers` (name → personal token), for
 * `seconds`, over `imageIds` and `classes`; then checks every acknowledged write through `reviewer` (a
 * reviewer's token) and `admin` (the audit log).
 */
export async function runTeamLoad(options: {
  readonly baseUrl: string;
  readonly readers: ReadonlyMap<string, string>;
  readonly reviewer: string;
  readonly admin: string;
  readonly imageIds: readonly string[];
  readonly classes: readonly string[];
  readonly seconds: number;
  readonly seed?: number;
}): Promise<TeamLoadReport> {
  const latencies: number[] = [];
  const acks: Ack[] = [];
  let errors = 0;
  let rng = (options.seed ?? 1) >>> 0;
  const random = (n: number) => {
    rng = (Math.imul(rng, 1664525) + 1013904223) >>> 0;
    return rng % n;
  };
  const timed = async <T>(call: () => Promise<T>): Promise<T | null> => {
    const t0 = performance.now();
    try {
      return await call();
    } catch (e) {
      if (!(e instanceof VoxlabError) || e.code === 'INTERNAL' || e.code === 'REMOTE_UNREACHABLE') errors++;
      return null;
    } finally {
      latencies.push(performance.now() - t0);
    }
  };
  const until = performance.now() + options.seconds * 1000;
  const started = performance.now();
  await Promise.all(
    [...options.readers].map(async ([reader, token]) => {
      const api: CoreApi = createClient(httpTransport({ baseUrl: options.baseUrl, token }));
      const seen = new Map<string, number>();
      while (performance.now() < until) {
        const imageId = options.imageIds[random(options.imageIds.length)]!;
        const kind = random(10);
        if (kind < 2) await timed(() => api.datastore.list({}));
        else if (kind < 4) await timed(() => api.labels.get({ imageId }));
        else {
          const label = options.classes[random(options.classes.length)]!;
          const v = await timed(() => api.labels.set({ imageId, label, author: reader, expectedVersion: seen.get(imageId) ?? 0 }));
          if (v !== null) {
            seen.set(imageId, v.version);
            acks.push({ reader, imageId, version: v.version, label });
          }
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  // Verification: every acknowledged write, read back as the reviewer sees the reads and in the audit log.
  const reviewer = createClient(httpTransport({ baseUrl: options.baseUrl, token: options.reviewer }));
  const admin = createClient(httpTransport({ baseUrl: options.baseUrl, token: options.admin }));
  const latest = new Map<string, Ack>();
  for (const a of acks) {
    const key = `${a.imageId}\u0000${a.reader}`;
    if ((latest.get(key)?.version ?? 0) < a.version) latest.set(key, a);
  }
  let lost = 0;
  let misattributed = 0;
  for (const imageId of options.imageIds) {
    const reads = await reviewer.reads.list({ imageId });
    for (const a of [...latest.values()].filter((x) => x.imageId === imageId)) {
      const r = reads.find((x) => x.reader === a.reader);
      if (r === undefined || r.version !== a.version) lost++;
      else if (r.label !== a.label) misattributed++;
    }
    // A read nobody acknowledged to that reader was written under the wrong name.
    for (const r of reads) if (!latest.has(`${imageId}\u0000${r.reader}`)) misattributed++;
  }
  const audited = new Set<string>();
  let after = 0;
  for (;;) {
    const page = await admin.audit.list({ method: 'labels.set', afterSeq: after, limit: 10_000 });
    for (const row of page.rows) audited.add(`${row.account}\u0000${row.target}\u0000${row.afterVersion}`);
    if (page.rows.length < 10_000) break;
    after = page.rows.at(-1)!.seq;
  }
  const unaudited = acks.filter((a) => !audited.has(`${a.reader}\u0000${a.imageId}\u0000${a.version}`)).length;
  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p: number) => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) * 10) / 10;
  return {
    readers: options.readers.size,
    seconds: Math.round(seconds * 10) / 10,
    requests: latencies.length,
    requests_per_s: Math.round(latencies.length / seconds),
    p50_ms: pct(0.5),
    p99_ms: pct(0.99),
    errors,
    acknowledged_writes: acks.length,
    lost_writes: lost,
    misattributed_writes: misattributed,
    unaudited_writes: unaudited,
  };
}
