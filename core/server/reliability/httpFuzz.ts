// The HTTP fuzzer (issue #15, item 3): sends seeded hostile requests (hostileCases.ts) to a real
// `voxlab serve` over raw sockets and counts answers by status class. A 5xx (but 501 not-in-this-build and
// 503 GPU_OUT_OF_MEMORY), a dropped connection, a hang or a case's wrong status (no token: 401) is a failure,
// reported with its request; so is any change beside the study. httpFuzzBench runs it all on a temp study.

import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { toAffine } from '../../common/spaces.js';
import { createStudy } from '../../datastore/index.js';
import { writeNifti } from '../../io/writeNifti.js';
import { startHttpServer } from '../httpServer.js';
import { createService } from '../service/index.js';
import { ESCAPE_LINK, hostileCases, type HostileRequest } from './hostileCases.js';

/** 5xx statuses a hostile request may get: 501 (not in this build), 503 (GPU out of memory). */
const ALLOWED_5XX = new Set([501, 503]);
/** A request that takes longer than this without an answer is a hang. */
const HANG_MS = 15_000;

export interface FuzzFailure {
  readonly request: string;
  readonly outcome: string;
}

export interface HttpFuzzReport {
  http_fuzz_cases: number;
  http_2xx: number;
  http_3xx: number;
  http_4xx: number;
  http_5xx: number;
  crashes: number;
  /** Paths outside the study that appeared, vanished or changed. */
  outside_changes: string[];
  failures: FuzzFailure[];
  seconds: number;
}

/** Sends one raw request; resolves the status, or the error/hang as text. Never rejects. */
export function send(baseUrl: string, token: string, c: HostileRequest): Promise<{ status?: number; error?: string }> {
  const url = new URL(baseUrl);
  const headers: Record<string, string> = { host: url.host, ...c.headers };
  if (c.auth === true) headers['x-voxlab-token'] = token;
  if (c.auth === 'wrong') headers['x-voxlab-token'] = `${token}x`;
  if (c.body !== undefined && headers['content-length'] === undefined) headers['content-length'] = String(c.body.length);
  return new Promise((resolve) => {
    let done = false;
    const finish = (v: { status?: number; error?: string }) => {
      if (!done) resolve(v);
      done = true;
    };
    const req = httpRequest({ host: url.hostname, port: url.port, method: c.verb, path: c.path, headers, agent: false });
    const timer = setTimeout(() => {
      finish({ error: `no answer in ${HANG_MS} ms` });
      req.destroy();
    }, HANG_MS);
    req.on('response', (res) => {
      finish({ status: res.statusCode });
      res.resume();
      res.on('end', () => clearTimeout(timer));
      res.on('error', () => clearTimeout(timer));
    });
    // A CONNECT's answer comes as 'connect' (with the socket), not as 'response'.
    req.on('connect', (res: IncomingMessage, socket: Duplex) => {
      clearTimeout(timer);
      finish({ status: res.statusCode });
      socket.destroy();
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      finish({ error: `${e.code ?? ''} ${e.message}` });
    });
    // A body the server refuses early may be cut off while it is still being written: that is its right.
    if (c.body !== undefined) req.end(c.body);
    else req.end();
  });
}

/** Every file and folder under `dir` (relative path → size:mtime:content hash), symlinks not followed. */
export function snapshotTree(dir: string, skip: ReadonlySet<string> = new Set()): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (abs: string, rel: string) => {
    for (const name of readdirSync(abs)) {
      const a = path.join(abs, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      if (skip.has(a)) continue;
      const st = lstatSync(a);
      if (st.isDirectory()) {
        out.set(`${r}/`, String(st.mtimeMs));
        walk(a, r);
      } else out.set(r, `${st.size}:${st.mtimeMs}:${st.isFile() ? readFileSync(a).toString('base64').slice(0, 64) : 'link'}`);
    }
  };
  walk(dir, '');
  return out;
}

/** Keys that differ between two snapshots. */
export function treeChanges(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k)).sort();
}

/** Sends `cases` with `concurrency` in flight; counts statuses, failures name their request. */
export async function runHttpFuzz(
  baseUrl: string,
  token: string,
  cases: readonly HostileRequest[],
  concurrency = 8,
): Promise<Omit<HttpFuzzReport, 'outside_changes' | 'seconds'>> {
  const report = { http_fuzz_cases: cases.length, http_2xx: 0, http_3xx: 0, http_4xx: 0, http_5xx: 0, crashes: 0, failures: [] as FuzzFailure[] };
  let next = 0;
  const describe = (c: HostileRequest) => `${c.name} :: ${c.verb} ${c.path.slice(0, 200)} ${JSON.stringify(c.headers).slice(0, 200)} body=${c.body?.toString('utf8').slice(0, 120) ?? ''}`;
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++]!;
      const out = await send(baseUrl, token, c);
      if (out.status === undefined) {
        report.crashes++;
        report.failures.push({ request: describe(c), outcome: out.error ?? 'no answer' });
        continue;
      }
      if (c.expect !== undefined && !c.expect.includes(out.status))
        report.failures.push({ request: describe(c), outcome: `HTTP ${out.status}, expected ${c.expect.join(' or ')}` });
      const cls = Math.floor(out.status / 100);
      if (cls === 2) report.http_2xx++;
      else if (cls === 3) report.http_3xx++;
      else if (cls === 4) report.http_4xx++;
      else {
        report.http_5xx++;
        if (!ALLOWED_5XX.has(out.status)) report.failures.push({ request: describe(c), outcome: `HTTP ${out.status}` });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return report;
}

/**
 * A temp study (3 tiny images, a symlink ESCAPE_LINK to a sentinel folder beside it) served on loopback,
 * `count` hostile requests from `seed`, then a check that the server still answers and that nothing
 * outside the study changed. Everything temporary is removed afterwards.
 */
export async function httpFuzzBench(options: { count?: number; seed?: number; concurrency?: number } = {}): Promise<HttpFuzzReport> {
  const { count = 10_000, seed = 15, concurrency = 8 } = options;
  const root = mkdtempSync(path.join(tmpdir(), 'voxlab-httpfuzz-'));
  const token = 'fuzz-token-0123456789abcdefghijklmnopqrstuvwxyz';
  try {
    const sentinel = path.join(root, 'sentinel');
    mkdirSync(path.join(sentinel, 'etc'), { recursive: true });
    writeFileSync(path.join(sentinel, 'etc', 'passwd'), 'root:x:0:0\n');
    const studyDir = path.join(root, 'study');
    const study = createStudy(studyDir, { name: 'http fuzz' });
    for (const id of ['img-a', 'img-b', 'img-c']) {
      const file = path.join(sentinel, `${id}.nii`);
      await writeNifti(file, { shape: [4, 5, 6], data: new Float32Array(120).fill(7), affine: toAffine([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]) });
      await study.addImage(file, { copy: true, id });
    }
    symlinkSync(sentinel, path.join(studyDir, ESCAPE_LINK));
    const before = snapshotTree(root, new Set([studyDir]));
    const service = createService(study, { version: '0.0.0-fuzz' });
    const server = await startHttpServer(service, { token, rendererDir: null });
    const started = performance.now();
    let report: Omit<HttpFuzzReport, 'outside_changes' | 'seconds'>;
    try {
      report = await runHttpFuzz(server.url, token, hostileCases(seed, count), concurrency);
      const alive = await send(server.url, token, { name: 'alive', verb: 'GET', path: '/api/info', headers: {}, auth: true });
      if (alive.status !== 200) {
        report.crashes++;
        report.failures.push({ request: 'GET /api/info after the run', outcome: alive.error ?? `HTTP ${alive.status}` });
      }
    } finally {
      await server.close();
      await service.close();
      study.close();
    }
    const seconds = Math.round((performance.now() - started) / 10) / 100;
    return { ...report, outside_changes: treeChanges(before, snapshotTree(root, new Set([studyDir]))), seconds };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
