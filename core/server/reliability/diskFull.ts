// The disk-full campaign (issue #15, item 2): a study on a small size-limited tmpfs, served over HTTP, gets
// writes of every kind (class labels, labelmaps, classes, image imports, model imports, DICOM uploads) until
// the disk is full and beyond. Every write must succeed or answer DISK_FULL (507). The server restarts while
// the disk is full; then space is freed, each kind's last refused write is tried again, the WAL must
// checkpoint, the database must pass integrity_check, every acknowledged write must read back equal (also
// after another restart) and no temp file or row-less file may remain. The writes and reads: diskFullWrites.ts.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStudy, openStudy, type Study } from '../../datastore/index.js';
import { startHttpServer, type RunningServer } from '../httpServer.js';
import { createService, type Service } from '../service/index.js';
import { WRITE_KINDS, prepareSources, verifyAcknowledged, writeOnce, type Endpoint, type Ledger, type Outcome, type Sources, type WriteKind } from './diskFullWrites.js';

/** How the campaign runs. */
export interface DiskFullOptions {
  /** Size of the tmpfs in MiB (default 6): small, so that it fills in a few seconds. */
  readonly sizeMiB?: number;
  /** Bytes of the filler file placed first and deleted to make room afterwards (default 1 MiB). */
  readonly fillerBytes?: number;
  /** Where the mount point is made (default the OS temp folder). */
  readonly parent?: string;
  /** Rounds of writes (one of each kind) after the first DISK_FULL answer (default 4). */
  readonly roundsAfterFull?: number;
  /** Gives up filling after this many rounds (default 400). */
  readonly maxRounds?: number;
  /** Seed of the random labelmaps, weights and scans (default 15). */
  readonly seed?: number;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
}

/** What the campaign found. Counts are of HTTP write calls. */
export interface DiskFullResult {
  /** Writes refused with DISK_FULL (HTTP 507) because the disk was full. */
  enospc_cases: number;
  /** DISK_FULL answers by method, e.g. { 'labelmaps.save': 5 }. */
  enospc_by_method: Record<string, number>;
  /** Of those, writes that were stored but whose audit row was not (DISK_FULL with details.auditOnly). */
  saved_but_unaudited: number;
  /** Audited reads (models.export) refused DISK_FULL while the disk was full: their audit row could not be written. */
  reads_refused_while_full: number;
  /** Writes answered 2xx (before and after the disk filled, and after space was freed). */
  acknowledged_writes: number;
  /** Acknowledged writes that did not read back equal (after freeing space, and again after reopening). */
  lost_writes: number;
  /** Write answers that were neither 2xx nor DISK_FULL (a 5xx, another code, a dropped connection). */
  other_errors: number;
  /** The study reopened (openStudy: quick_check, migrations) and served every acknowledged write again. */
  reopened: boolean;
  /** The study opened again while the disk was still full (a server restarted before space was freed). */
  reopened_while_full: boolean;
  /** Set, with the reason, when no size-limited filesystem could be made here: nothing ran. */
  skipped?: string;
  /** Each problem in words (lost writes, other errors, leftovers, a failed integrity check). */
  failures: string[];
  /** Temp or pending files left in the study after the campaign (a failed write must leave none). */
  leftovers: string[];
  /** Files or folders of the study's own layout that no row names (labels/, images/, models/). */
  orphans: string[];
  seconds: number;
}

/** Mounts a tmpfs of `sizeMiB` on a new folder under `parent`; returns it, or the reason it cannot. */
function mountTmpfs(parent: string, sizeMiB: number): { dir: string } | { reason: string } {
  if (process.platform !== 'linux') return { reason: `a size-limited tmpfs needs Linux (this is ${process.platform})` };
  const dir = mkdtempSync(path.join(parent, 'voxlab-diskfull-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
    return { dir };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = String((e as { stderr?: unknown }).stderr ?? '').trim();
    return {
      reason: `cannot mount a size-limited tmpfs here (mount -t tmpfs needs root with CAP_SYS_ADMIN): ${stderr || (e as Error).message}`,
    };
  }
}

function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'pipe' });
  } catch {
    execFileSync('umount', ['-l', dir], { stdio: 'pipe' }); // busy (an open handle): detach it now, freed when closed
  }
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Null when a size-limited tmpfs can be mounted here (tries a 1 MiB one under `parent` and unmounts it);
 * else the reason, e.g. no CAP_SYS_ADMIN in a CI container. Tests use it to say why the campaign is skipped.
 */
export function tmpfsUnavailable(parent: string = tmpdir()): string | null {
  const mounted = mountTmpfs(parent, 1);
  if ('reason' in mounted) return mounted.reason;
  unmount(mounted.dir);
  return null;
}

interface Served {
  readonly study: Study;
  readonly service: Service;
  readonly server: RunningServer;
}

const TOKEN = 'diskfull-token-0123456789abcdefghijklmnopqrstuv';

async function serve(study: Study): Promise<Served> {
  const service = createService(study, { version: '0.0.0-diskfull' });
  const server = await startHttpServer(service, { token: TOKEN, rendererDir: null });
  return { study, service, server };
}

async function stop(s: Served): Promise<void> {
  await s.server.close();
  await s.service.close();
  s.study.close();
}

/**
 * Files and folders that a write made but no row names: labelmap versions, copied scans, model folders. A
 * failed write must not leave them (they hold space on a full disk, and a model folder blocks the retry).
 */
function orphansIn(study: Study): string[] {
  const named = (sql: string) => new Set((study.db.prepare(sql).pluck().all() as string[]).map((p) => p.replace(/\\/g, '/')));
  const listed = (sub: string) => (existsSync(path.join(study.dir, sub)) ? readdirSync(path.join(study.dir, sub)) : []).filter((f) => !f.startsWith('.'));
  const labelmaps = named('SELECT path FROM labelmaps');
  const images = named("SELECT path_stored FROM images WHERE storage = 'copy'");
  const models = named('SELECT id FROM models');
  return [
    ...listed('labels').flatMap((image) => listed(`labels/${image}`).map((f) => `labels/${image}/${f}`)).filter((f) => !labelmaps.has(f)),
    ...listed('images').map((f) => `images/${f}`).filter((f) => !images.has(f)),
    ...listed('models').filter((id) => !models.has(id)).map((id) => `models/${id}/`),
  ];
}

/** Hidden temp files (`.name.<pid>-<hex>.tmp`) and pending labelmaps (`.pending-*`) under `dir`. */
function leftoversIn(dir: string, root = dir): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...leftoversIn(full, root));
    else if (/^\..*\.tmp$/.test(entry.name) || entry.name.startsWith('.pending-')) out.push(path.relative(root, full));
  }
  return out;
}

/**
 * Runs the campaign (see the file header) on a fresh tmpfs of `options.sizeMiB`. Never throws for what it
 * finds: problems are counted and described in `failures`. When no tmpfs can be mounted (not Linux, no
 * CAP_SYS_ADMIN) it returns `skipped` with the reason and all counts 0. Always unmounts what it mounted.
 */
export async function diskFullCampaign(options: DiskFullOptions = {}): Promise<DiskFullResult> {
  const started = Date.now();
  const result: DiskFullResult = {
    enospc_cases: 0,
    enospc_by_method: {},
    saved_but_unaudited: 0,
    reads_refused_while_full: 0,
    acknowledged_writes: 0,
    lost_writes: 0,
    other_errors: 0,
    reopened: false,
    reopened_while_full: false,
    failures: [],
    leftovers: [],
    orphans: [],
    seconds: 0,
  };
  const mounted = mountTmpfs(options.parent ?? tmpdir(), options.sizeMiB ?? 6);
  if ('reason' in mounted) return { ...result, skipped: mounted.reason };
  try {
    await runOn(mounted.dir, options, result);
  } catch (e) {
    result.failures.push(`the campaign stopped: ${(e as Error)?.stack ?? String(e)}`);
  } finally {
    unmount(mounted.dir);
    result.seconds = Math.round((Date.now() - started) / 100) / 10;
  }
  return result;
}

async function runOn(root: string, options: DiskFullOptions, result: DiskFullResult): Promise<void> {
  const log = options.log ?? (() => {});
  const filler = path.join(root, 'filler.bin');
  writeFileSync(filler, Buffer.alloc(options.fillerBytes ?? 1024 * 1024, 1));
  const studyDir = path.join(root, 'study');
  const created = createStudy(studyDir, { name: 'disk full' });
  mkdirSync(path.join(studyDir, 'incoming'));
  const ledger: Ledger = { labels: new Map(), labelmaps: [], classes: [], images: [], models: [], dicom: { files: 0, bytes: 0, mismatches: [] } };
  const sources = await prepareSources(created, options.seed ?? 15);
  let served: Served | null = await serve(created);
  try {
    const { firstFull, lastRefused } = await fillDisk({ url: served.server.url, token: TOKEN }, options, sources, ledger, result);
    log(`disk full after round ${firstFull}: ${JSON.stringify(result.enospc_by_method)}`);
    // A restart while the disk is still full: the study must open (closing checkpoints the WAL into a
    // database that may not grow; opening makes a new -shm file) and serve reads.
    await stop(served);
    served = null;
    try {
      served = await serve(openStudy(studyDir));
      result.reopened_while_full = true;
      countLost(result, await verifyAcknowledged({ url: served.server.url, token: TOKEN }, ledger), 'while the disk was full, after a restart', true);
    } catch (e) {
      result.failures.push(`the study did not open while the disk was full: ${(e as Error).message}`);
    }
    rmSync(filler); // room again: the study must take writes and read back everything it acknowledged
    served ??= await serve(openStudy(studyDir));
    const study = served.study;
    const call = { url: served.server.url, token: TOKEN };
    // "Free space and try again": each kind's last refused write, as it was, must now succeed.
    for (const [kind, round] of lastRefused.values())
      record(result, kind, await writeOnce(call, kind, round, sources, ledger), 'the retry after freeing space');
    // The WAL that could not grow (or be checkpointed into a database that could not grow) folds in now.
    const [checkpoint] = study.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    if (checkpoint === undefined || checkpoint.busy !== 0 || checkpoint.log !== checkpoint.checkpointed)
      result.failures.push(`the WAL checkpoint after freeing space did not complete: ${JSON.stringify(checkpoint)}`);
    const integrity = study.db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') result.failures.push(`integrity_check after the disk filled: ${String(integrity)}`);
    countLost(result, await verifyAcknowledged(call, ledger), 'after freeing space');
    await stop(served);
    served = null;
    const reopened = await serve(openStudy(studyDir));
    served = reopened;
    countLost(result, await verifyAcknowledged({ url: reopened.server.url, token: TOKEN }, ledger), 'after reopening');
    result.orphans = orphansIn(reopened.study);
    for (const o of result.orphans) result.failures.push(`a failed write left ${o}, which no row names`);
    result.reopened = result.failures.every((f) => !f.includes('after reopening'));
  } finally {
    if (served !== null) await stop(served);
  }
  result.leftovers = leftoversIn(studyDir);
  for (const file of result.leftovers) result.failures.push(`a failed write left ${file} behind`);
}

/**
 * Writes rounds of every kind until `roundsAfterFull` rounds after the first DISK_FULL answer. Returns that
 * round (-1: the disk never filled, a failure) and the last refused write of each retry key.
 */
async function fillDisk(at: Endpoint, options: DiskFullOptions, sources: Sources, ledger: Ledger, result: DiskFullResult) {
  let firstFull = -1;
  const lastRefused = new Map<string, [WriteKind, number]>();
  const maxRounds = options.maxRounds ?? 400;
  for (let round = 0; round < maxRounds; round++) {
    for (const kind of WRITE_KINDS) {
      const outcome = await writeOnce(at, kind, round, sources, ledger);
      // A change refused only for its audit row is stored: trying it again would find it taken.
      if (outcome?.ok === false && outcome.code === 'DISK_FULL' && !outcome.saved) lastRefused.set(retryKey(kind, round), [kind, round]);
      record(result, kind, outcome);
    }
    if (firstFull < 0 && result.enospc_cases > 0) firstFull = round;
    if (firstFull >= 0 && round - firstFull >= (options.roundsAfterFull ?? 4)) break;
  }
  if (firstFull < 0) result.failures.push(`the disk never filled in ${maxRounds} rounds`);
  return { firstFull, lastRefused };
}

/** Writes tried again after freeing space: the last refused one of each kind (models: by upload and by path). */
const retryKey = (kind: WriteKind, round: number): string => (kind === 'models.import' ? `${kind}:${round % 2}` : kind);

/** Counts one write's outcome. */
function record(result: DiskFullResult, kind: WriteKind, outcome: Outcome | null, when = ''): void {
  if (outcome === null) return; // nothing left of that kind to write
  if (outcome.ok) {
    result.acknowledged_writes++;
  } else if (outcome.code === 'DISK_FULL' && outcome.status === 507) {
    result.enospc_cases++;
    result.enospc_by_method[kind] = (result.enospc_by_method[kind] ?? 0) + 1;
    if (outcome.saved) result.saved_but_unaudited++;
  } else {
    result.other_errors++;
    result.failures.push(`${kind}${when === '' ? '' : ` (${when})`} answered ${outcome.status} ${outcome.code}: ${outcome.message.slice(0, 300)}`);
  }
}

/** Counts what a read-back found; reads refused for their audit row are failures only with room on the disk. */
function countLost(result: DiskFullResult, found: { lost: readonly string[]; refused: readonly string[] }, when: string, full = false): void {
  result.lost_writes = Math.max(result.lost_writes, found.lost.length);
  for (const l of found.lost) result.failures.push(`${when}: ${l}`);
  if (full) result.reads_refused_while_full = found.refused.length;
  else for (const r of found.refused) result.failures.push(`${when}: ${r} was refused DISK_FULL with room on the disk`);
}
