// The load campaign (issue #15, item 5): `connections` concurrent keep-alive clients loop a seeded mix of
// reads and writes against the real `voxlab serve` (a child process) while a tiny training job runs and an
// event stream listens, for `durationMs`. Reports latency percentiles, the server's peak resident memory,
// every 5xx / error in words, and whether the event stream kept up. scripts/bench/reliability.ts runs it.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient, httpTransport, type CoreApi, type Json } from '../../api/index.js';
import { VoxlabError } from '../../common/errors.js';
import { SeededRandom } from '../../common/random.js';
import { eventCheck, stopServer, teardown } from './loadChecks.js';
import { EventWatch } from './loadEvents.js';
import { makeLoadStudy, rssMb, rssSampler, startServerProcess, type ServerProcess } from './loadServer.js';
import { LoadTally, quantile, round1 } from './loadTally.js';
import { LoadConnection, nextOp, type MixTarget, type SocketCount } from './loadTraffic.js';

export interface LoadOptions {
  /** Concurrent clients, each on its own keep-alive connection (1..1000). */
  readonly connections: number;
  /** How long the clients send (ms). */
  readonly durationMs: number;
  /** Run a tiny training job (many epochs) the whole time, stopped with train.stop at the end. */
  readonly training: boolean;
  /** Seeds the request mix and the synthetic scans (default 15). */
  readonly seed?: number;
  /** Progress lines for people (default: none). */
  readonly log?: (line: string) => void;
  /** Scans in the study (default 8) and their grid (default 64^3: a volume read is 1 MiB of float32). */
  readonly images?: number;
  readonly shape?: readonly [number, number, number];
}

export interface LoadReport {
  /** Most load connections open at once (the client side counts its sockets); should equal the option. */
  connections: number;
  /** Sockets opened in all: more than `connections` means keep-alive connections were dropped and remade. */
  connections_opened: number;
  duration_s: number;
  requests: number;
  /** Requests that got a whole answer (any status). */
  answered: number;
  reads: number;
  writes: number;
  requests_per_s: number;
  http_429: number;
  http_5xx: number;
  /** Other failures: no answer (connection error, 60 s timeout) or an unexpected 4xx. */
  errors: number;
  /** Latency of answered requests, send to last byte, as the clients saw it (ms). */
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  /** Answered requests and p50 / p99 latency (ms) by method, slowest p99 first: where the tail comes from. */
  by_method: Record<string, { n: number; p50_ms: number; p99_ms: number }>;
  /** The server process's peak resident set (VmHWM, or the largest 0.5 s sample without /proc), MiB. */
  peak_rss_mb: number;
  /** Its resident set once set up (before the load) and at the end of the load, MiB. */
  rss_start_mb: number;
  rss_end_mb: number;
  /** Its resident set every 10 s of the load, MiB: a plateau, or growth that would not stop. */
  rss_timeline_mb: number[];
  events_received: number;
  /** Acknowledged label writes without their label.changed event, plus recorded epochs without train.epoch. */
  events_missing: number;
  /**
   * How long after a write's answer its label.changed event reached the watcher (ms, 0 when it came first:
   * the server publishes before it answers). Grows when the stream falls behind.
   */
  event_lag_p99_ms: number;
  event_lag_max_ms: number;
  /** After the load: from a last write's answer to its event (ms); null when it never came. */
  event_drain_ms: number | null;
  training_epochs: number;
  /** The training job at the end: 'cancelled' (stopped by train.stop) when all went well; null without training. */
  training_state: string | null;
  /** `voxlab serve`'s exit code after SIGTERM (0: closed cleanly). */
  server_exit_code: number | null | 'killed';
  failures: string[];
}

/** Training settings that finish an epoch in about a second on a CPU: a two-block DenseNet on 16^3 inputs. */
const trainConfig = (seed: number): Json => ({
  model: 'tiny',
  modelOverrides: { blockConfig: [2, 2] },
  inputSize: 16,
  epochs: 1_000_000, // runs until train.stop
  batchSize: 2,
  learningRate: 3e-3,
  valFraction: 0.25,
  valInterval: 1,
  augment: { rotate90: null },
  seed,
});
const RUN_ID = 'load-run';

/**
 * Runs the campaign on a temp study (removed afterwards). What the server does wrong under the load is in
 * the report (`failures`), not thrown; throws BAD_ARGUMENT for bad options, IO_ERROR when the server cannot
 * be started (e.g. dist/ not built: `npm run build`), and what the setup calls throw before the load.
 */
export async function loadCampaign(options: LoadOptions): Promise<LoadReport> {
  const { connections, durationMs, seed = 15, images = 8, shape = [64, 64, 64] } = options;
  if (!(Number.isInteger(connections) && connections >= 1 && connections <= 1000))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `loadCampaign: connections must be a whole number in 1..1000, got ${connections}`,
    );
  if (!(Number.isFinite(durationMs) && durationMs > 0))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `loadCampaign: durationMs must be a positive number, got ${durationMs}`,
    );
  const log = options.log ?? (() => undefined);
  const root = mkdtempSync(path.join(tmpdir(), 'voxlab-load-'));
  try {
    log(`load: writing ${images} scans of ${shape.join('x')}`);
    const studyDir = await makeLoadStudy(root, images, shape, seed);
    const server = await startServerProcess(studyDir);
    log(`load: voxlab serve pid ${server.pid} at ${server.url}`);
    try {
      return await campaign(server, { ...options, seed, log });
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

type Resolved = LoadOptions & { readonly seed: number; readonly log: (line: string) => void };

/** Setup, load, teardown against a started server; the report. */
async function campaign(server: ServerProcess, o: Resolved): Promise<LoadReport> {
  const api = createClient(httpTransport({ baseUrl: server.url, token: server.token }));
  const sampler = rssSampler(server.pid);
  const watch = new EventWatch(server.url, server.token);
  const tally = new LoadTally();
  try {
    await watch.open();
    const target = await prepare(api);
    const job = o.training ? await api.train.start({ config: trainConfig(o.seed), runId: RUN_ID }) : null;
    const rssStart = (await rssMb(server.pid)) ?? Number.NaN;
    o.log(`load: ${o.connections} connections for ${o.durationMs / 1000} s${job ? ', training' : ''}`);
    const sockets: SocketCount = { open: 0, opened: 0, peak: 0 };
    const timeline: number[] = [];
    const started = performance.now();
    await runClients(server, target, o, tally, sockets, timeline);
    const seconds = (performance.now() - started) / 1000;
    const rssEnd = (await rssMb(server.pid)) ?? Number.NaN;
    // A server that died or stopped answering under the load is a finding for the report, not a throw.
    const training = job === null ? null : { job, runId: RUN_ID };
    const end = await teardown(api, server, watch, tally, training, target).catch((e: unknown) => {
      tally.fail(`after the load: ${(e as Error).message}`);
      return { epochs: 0, epochsMissing: 0, trainingState: null, drainMs: null };
    });
    const peak = sampler.peakMb() ?? Number.NaN; // VmHWM: read while the server still runs
    const events = eventCheck(tally, watch);
    const exit = await stopServer(server, tally);
    return {
      connections: sockets.peak,
      connections_opened: sockets.opened,
      duration_s: round1(seconds),
      requests: tally.requests,
      answered: tally.answered,
      reads: tally.reads,
      writes: tally.writes,
      requests_per_s: round1(tally.requests / seconds),
      http_429: tally.http429,
      http_5xx: tally.http5xx,
      errors: tally.errors,
      ...tally.latency(),
      by_method: tally.methods(),
      peak_rss_mb: round1(peak),
      rss_start_mb: round1(rssStart),
      rss_end_mb: round1(rssEnd),
      rss_timeline_mb: timeline.map(round1),
      events_received: watch.received,
      events_missing: events.missing + end.epochsMissing,
      event_lag_p99_ms: round1(quantile(events.lags, 0.99)),
      event_lag_max_ms: round1(events.lags.at(-1) ?? Number.NaN),
      event_drain_ms: end.drainMs === null ? null : round1(end.drainMs),
      training_epochs: end.epochs,
      training_state: end.trainingState,
      server_exit_code: exit,
      failures: tally.failures(),
    };
  } finally {
    sampler.stop();
    watch.close();
  }
}

/** The images and classes the mix works on; every image gets a first labelmap so labelmaps.get answers 200. */
async function prepare(api: CoreApi): Promise<MixTarget> {
  const list = await api.datastore.list();
  const classes = await api.labels.classes();
  if (list.length === 0 || classes.length === 0 || list.some((i) => i.label === null))
    throw new VoxlabError(
      'INTERNAL',
      `loadCampaign: the load study has ${list.length} images (all labeled?) and ${classes.length} classes`,
    );
  const images = list.map((i) => ({
    id: i.id,
    voxels: i.shape.slice(0, 3).reduce((p, n) => p * n, 1),
    label: i.label!,
  }));
  for (const i of images)
    await api.labelmaps.save({ imageId: i.id, author: 'load-setup' }, new Uint8Array(i.voxels));
  return { images, classes };
}

/** `o.connections` clients, each looping seeded calls on its own connection until `o.durationMs` passed. */
async function runClients(
  server: ServerProcess,
  target: MixTarget,
  o: Resolved,
  tally: LoadTally,
  sockets: SocketCount,
  timeline: number[],
): Promise<void> {
  const deadline = performance.now() + o.durationMs;
  const base = new URL(server.url);
  const client = async (i: number) => {
    const r = new SeededRandom(o.seed * 1000 + i);
    const connection = new LoadConnection(base, server.token, sockets);
    try {
      for (let n = 0; performance.now() < deadline; n++) {
        const op = nextOp(r, target, `load-c${i}-${n}`);
        tally.record(op, await connection.send(op));
      }
    } finally {
      connection.close();
    }
  };
  // Every 10 s: a line for people and the server's resident set (rss_timeline_mb: a plateau or growth).
  const progress = setInterval(() => {
    o.log(
      `load: ${tally.requests} requests, ${tally.http5xx} 5xx, ${tally.errors} errors, ${sockets.open} open`,
    );
    void rssMb(server.pid).then((mb) => mb !== null && timeline.push(mb));
  }, 10_000);
  try {
    await Promise.all(Array.from({ length: o.connections }, (_, i) => client(i)));
  } finally {
    clearInterval(progress);
  }
}
