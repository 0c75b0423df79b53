// The load campaign's target (issue #15, item 5): a temp study of synthetic labeled scans served by the real
// `voxlab serve` (bin/voxlab.js → dist/) in a child process, so the memory measured is the server's own.

import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { VoxlabError } from '../../common/errors.js';
import { importFolder, openStudy } from '../../datastore/index.js';
import { generateCohort } from '../../synth/index.js';

/** How long `voxlab serve` may take to print its address, and to exit after SIGTERM. */
const START_MS = 60_000;
const EXIT_MS = 30_000;

/**
 * Writes `n` synthetic phantoms of `shape` voxels (int16, gzipped; half with a planted lesion) under
 * `root`/cohort and makes `root`/study from them (by reference), labeled 'control' / 'lesion'. Closes the
 * study so that only the server holds it. Returns the study folder.
 */
export async function makeLoadStudy(
  root: string,
  n: number,
  shape: readonly [number, number, number],
  seed: number,
): Promise<string> {
  if (!(Number.isInteger(n) && n >= 4))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `makeLoadStudy: need at least 4 images (training splits them), got ${n}`,
    );
  const cohort = path.join(root, 'cohort');
  // A strong, large lesion as in the training tests (core/train/testing/tinyStudy.ts): a tiny net learns it.
  await generateCohort(cohort, { n, seed, shape: [...shape], lesionContrast: 1, lesionRadiusMm: 25 });
  const studyDir = path.join(root, 'study');
  const study = openStudy(studyDir, { create: { name: 'load campaign' } });
  try {
    await importFolder(study, path.join(cohort, 'images'), {
      labelsCsv: path.join(cohort, 'labels.csv'),
      labelColumn: 'group',
      copy: false,
      author: 'load',
    });
  } finally {
    study.close();
  }
  return studyDir;
}

/** The `voxlab` launcher: bin/voxlab.js in the first folder above this module that has one (sources or dist/). */
export function voxlabBin(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const bin = path.join(dir, 'bin', 'voxlab.js');
    if (existsSync(bin)) return bin;
    if (path.dirname(dir) === dir)
      throw new VoxlabError('NOT_FOUND', `voxlabBin: no bin/voxlab.js above ${from}`);
  }
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: string;
  readonly token: string;
  /** Everything the server wrote on stderr so far. */
  stderr(): string;
  /** The exit code once it ended, else undefined (null: killed by a signal). */
  exitCode(): number | null | undefined;
  /** SIGTERM (what Ctrl-C's sibling does): resolves the exit code, or 'killed' after EXIT_MS and a SIGKILL. */
  stop(): Promise<number | null | 'killed'>;
}

/** Starts `voxlab serve --study studyDir --port 0 --json`; resolves once it printed its address. */
export function startServerProcess(studyDir: string, bin: string = voxlabBin()): Promise<ServerProcess> {
  const child = spawn(process.execPath, [bin, 'serve', '--study', studyDir, '--port', '0', '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let code: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (c) => {
      code = c;
      resolve(c);
    }),
  );
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    let started = false;
    const fail = (why: string) => {
      if (started) return;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new VoxlabError('IO_ERROR', `voxlab serve did not start: ${why}; stderr: ${err.slice(-2000)}`));
    };
    const timer = setTimeout(() => fail(`no address in ${START_MS} ms`), START_MS);
    child.once('error', (e) => fail(e.message));
    void exited.then((c) => fail(`it exited with code ${c}`));
    child.stdout!.on('data', (c: Buffer) => {
      if (started) return;
      out += c.toString();
      const line = out
        .split('\n')
        .slice(0, -1)
        .find((l) => l.startsWith('{'));
      if (line === undefined) return;
      started = true;
      clearTimeout(timer);
      const { url, token } = JSON.parse(line) as { url: string; token: string };
      resolve({
        child,
        pid: child.pid!,
        url,
        token,
        stderr: () => err,
        exitCode: () => code,
        stop: async () => {
          if (code !== undefined) return code;
          child.kill('SIGTERM');
          const timeout = new Promise<'killed'>((r) => setTimeout(() => r('killed'), EXIT_MS).unref());
          const result = await Promise.race([exited, timeout]);
          if (result === 'killed') child.kill('SIGKILL');
          return result;
        },
      });
    });
  });
}

/** A field of /proc/<pid>/status in MiB (VmHWM: peak resident set, VmRSS: now), or null without /proc. */
export function procStatusMb(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? null : Number(m[1]) / 1024;
  } catch {
    return null; // no /proc (macOS) or the process is gone: the caller falls back to ps
  }
}

/** The resident set of `pid` in MiB from /proc, else from `ps -o rss=`; null when neither answers. */
export function rssMb(pid: number): Promise<number | null> {
  const proc = procStatusMb(pid, 'VmRSS');
  if (proc !== null) return Promise.resolve(proc);
  return new Promise((resolve) =>
    execFile('ps', ['-o', 'rss=', '-p', String(pid)], (error, stdout) => {
      const kb = Number(stdout.trim());
      resolve(error !== null || !Number.isFinite(kb) || kb <= 0 ? null : kb / 1024);
    }),
  );
}

/**
 * Samples the resident set of `pid` every `everyMs`: `peakMb()` is the kernel's VmHWM where /proc has it
 * (exact, since the process started), else the largest sample (misses spikes between samples).
 */
export function rssSampler(
  pid: number,
  everyMs = 500,
): { samples: number[]; peakMb(): number | null; stop(): void } {
  const samples: number[] = [];
  let busy = false;
  const tick = () => {
    if (busy) return;
    busy = true;
    void rssMb(pid).then((mb) => {
      busy = false;
      if (mb !== null) samples.push(mb);
    });
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return {
    samples,
    peakMb: () => procStatusMb(pid, 'VmHWM') ?? (samples.length === 0 ? null : Math.max(...samples)),
    stop: () => clearInterval(timer),
  };
}
