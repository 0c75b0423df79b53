// The load campaign's counts (issue #15, item 5): every answer sorted into 2xx / 429 / 5xx / other
// errors with its latency, the acknowledged writes whose events the stream owes, and the failures in words.

import { WRITE_METHODS, type LoadAnswer, type LoadOp } from './loadTraffic.js';

/** At most this many failures are kept in words; the rest are counted. */
const MAX_FAILURES = 50;

/** The `q` quantile (0..1, nearest rank) of ascending `sorted`; NaN when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Rounds to 0.1 (ms, MiB) for the report. */
export const round1 = (x: number): number => Math.round(x * 10) / 10;

export class LoadTally {
  requests = 0;
  answered = 0;
  reads = 0;
  writes = 0;
  http2xx = 0;
  http429 = 0;
  http5xx = 0;
  /** No answer (connection error, timeout) or an unexpected status other than 429 and 5xx. */
  errors = 0;
  /** Latency (ms, send to last byte) of every answered request. */
  readonly latencies: number[] = [];
  /** The same, by method. */
  readonly byMethod = new Map<string, number[]>();
  /** When (performance.now()) each write that publishes label.changed was acknowledged, by its author. */
  readonly ackedAt = new Map<string, number>();
  /** Authors of label writes answered 5xx (their event, if it comes, says the write was saved anyway). */
  readonly failedAuthors: string[] = [];
  private readonly kept: string[] = [];
  private dropped = 0;

  /** Counts one request and its answer. */
  record(op: LoadOp, a: LoadAnswer): void {
    this.requests++;
    if (WRITE_METHODS.has(op.method)) this.writes++;
    else this.reads++;
    const what = `${op.method} ${JSON.stringify(op.args).slice(0, 160)}`;
    if ('error' in a) {
      this.errors++;
      return this.fail(`${what}: ${a.error} after ${Math.round(a.ms)} ms`);
    }
    this.answered++;
    this.latencies.push(a.ms);
    const mine = this.byMethod.get(op.method) ?? [];
    mine.push(a.ms);
    this.byMethod.set(op.method, mine);
    const text = () => a.body.toString('utf8').slice(0, 400);
    if (a.status >= 200 && a.status < 300) {
      this.http2xx++;
      if (op.author !== undefined) this.ackedAt.set(op.author, performance.now());
    } else if (a.status >= 500) {
      this.http5xx++;
      if (op.author !== undefined) this.failedAuthors.push(op.author);
      this.fail(`${what}: HTTP ${a.status} ${text()}`);
    } else if (a.status === 429) {
      // No rate limit applies to a valid token's calls, so a 429 is reported (separately from errors).
      this.http429++;
      this.fail(`${what}: HTTP 429 ${text()}`);
    } else {
      this.errors++;
      this.fail(`${what}: HTTP ${a.status} ${text()}`);
    }
  }

  /** Adds a failure in words (the first MAX_FAILURES are kept). */
  fail(message: string): void {
    if (this.kept.length < MAX_FAILURES) this.kept.push(message);
    else this.dropped++;
  }

  failures(): string[] {
    return this.dropped === 0 ? [...this.kept] : [...this.kept, `... and ${this.dropped} more failures`];
  }

  /** Answered requests and p50 / p99 latency (ms) of each method, slowest p99 first. */
  methods(): Record<string, { n: number; p50_ms: number; p99_ms: number }> {
    const rows = [...this.byMethod].map(([m, xs]) => {
      const sorted = [...xs].sort((x, y) => x - y);
      return [
        m,
        { n: xs.length, p50_ms: round1(quantile(sorted, 0.5)), p99_ms: round1(quantile(sorted, 0.99)) },
      ] as const;
    });
    return Object.fromEntries(rows.sort((x, y) => y[1].p99_ms - x[1].p99_ms));
  }

  /** p50 / p99 / max of the latencies (ms, rounded to 0.1). */
  latency(): { p50_ms: number; p99_ms: number; max_ms: number } {
    const sorted = [...this.latencies].sort((x, y) => x - y);
    return {
      p50_ms: round1(quantile(sorted, 0.5)),
      p99_ms: round1(quantile(sorted, 0.99)),
      max_ms: round1(sorted.at(-1) ?? Number.NaN),
    };
  }
}
