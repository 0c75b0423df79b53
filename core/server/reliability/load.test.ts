// The load campaign's short run (issue #15, item 5): 100 concurrent keep-alive connections of mixed reads
// and writes against the real `voxlab serve` while a tiny training job runs, for a few seconds. No 5xx, no
// error, every request answered, the event stream kept up. Speeds are the benchmark's business
// (scripts/bench/reliability.ts), so the bounds below are sanity checks only. Needs the build (npm test builds).

import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../common/random.js';
import { loadCampaign } from './load.js';
import { LoadTally, quantile } from './loadTally.js';
import { WRITE_METHODS, nextOp } from './loadTraffic.js';

const TARGET = {
  images: [
    { id: 'a', voxels: 8, label: 'control' },
    { id: 'b', voxels: 27, label: 'lesion' },
  ],
  classes: ['control', 'lesion'],
};

describe('the load mix and its counts', () => {
  it('draws the same seeded mix again, about one write in five, writes tagged for their events', () => {
    const draw = (seed: number) => {
      const r = new SeededRandom(seed);
      return Array.from({ length: 2000 }, (_, n) => nextOp(r, TARGET, `t${n}`));
    };
    const ops = draw(3);
    expect(ops.map((o) => o.method)).toEqual(draw(3).map((o) => o.method));
    expect(ops.map((o) => o.method)).not.toEqual(draw(4).map((o) => o.method));
    const writes = ops.filter((o) => WRITE_METHODS.has(o.method)).length / ops.length;
    expect(writes).toBeGreaterThan(0.12);
    expect(writes).toBeLessThan(0.3);
    for (const o of ops.filter((x) => x.method === 'labelmaps.save'))
      expect(o.bytes?.length).toBe(TARGET.images.find((i) => i.id === o.args.imageId)!.voxels);
    for (const o of ops.filter((x) => x.method === 'labels.set')) {
      expect(o.author).toBe(o.args.author);
      expect(o.args.label).toBe(TARGET.images.find((i) => i.id === o.args.imageId)!.label); // training's labels stay
    }
  });

  it('sorts answers into 2xx, 429, 5xx and errors, and keeps the 5xx body', () => {
    const t = new LoadTally();
    const op = { method: 'labels.set', args: { imageId: 'a' }, author: 'w1' } as const;
    t.record(op, { status: 200, body: Buffer.from('{}'), ms: 5 });
    t.record(op, { status: 500, body: Buffer.from('{"error":{"code":"INTERNAL"}}'), ms: 7 });
    t.record(op, { status: 429, body: Buffer.from(''), ms: 1 });
    t.record(op, { status: 404, body: Buffer.from(''), ms: 2 });
    t.record(op, { error: 'ECONNRESET', ms: 3 });
    expect([t.requests, t.answered, t.http2xx, t.http5xx, t.http429, t.errors]).toEqual([5, 4, 1, 1, 1, 2]);
    expect(t.failures().join('\n')).toMatch(/HTTP 500 .*INTERNAL/);
    expect(t.ackedAt.has('w1')).toBe(true);
    expect(t.failedAuthors).toEqual(['w1']); // the 500 (same author here: one op sent five times)
    expect(t.latency()).toEqual({ p50_ms: 2, p99_ms: 7, max_ms: 7 });
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.99)).toBe(10);
  });
});

describe('100 connections against voxlab serve while it trains', () => {
  it('answers every request without a 5xx or an error, and the event stream keeps up', async () => {
    const r = await loadCampaign({
      connections: 100,
      durationMs: 8000,
      training: true,
      seed: 15,
      images: 8,
      shape: [32, 32, 32],
    });
    expect(r.failures).toEqual([]);
    expect(r.http_5xx).toBe(0);
    expect(r.http_429).toBe(0);
    expect(r.errors).toBe(0);
    expect(r.connections).toBe(100);
    expect(r.answered).toBe(r.requests);
    expect(r.requests).toBeGreaterThan(150); // a sanity floor: even at load 19 on two cores, 8 s gave far more
    expect(r.reads).toBeGreaterThan(r.writes);
    expect(r.writes).toBeGreaterThan(0);
    // The stream kept up: every acknowledged write and every recorded epoch came as an event, and a write
    // made after the load arrived.
    expect(r.events_received).toBeGreaterThan(r.writes / 2);
    expect(r.events_missing).toBe(0);
    expect(r.event_drain_ms).not.toBeNull();
    expect(Number.isFinite(r.event_lag_p99_ms)).toBe(true);
    expect(r.training_state).toBe('cancelled');
    expect(r.training_epochs).toBeGreaterThanOrEqual(1);
    expect(r.server_exit_code).toBe(0);
    for (const x of [r.p50_ms, r.p99_ms, r.max_ms, r.peak_rss_mb]) {
      expect(Number.isFinite(x)).toBe(true);
      expect(x).toBeGreaterThan(0);
    }
    expect(r.p99_ms).toBeGreaterThanOrEqual(r.p50_ms);
    expect(r.peak_rss_mb).toBeGreaterThanOrEqual(r.rss_start_mb);
    expect(r.peak_rss_mb).toBeLessThan(8192); // generous: a leak that large would be a bug
  }, 180_000);
});
