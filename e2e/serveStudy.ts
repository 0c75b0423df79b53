// e2e setup helpers: make a small synthetic study with the real CLI and start a real `voxlab serve` on it.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(REPO_ROOT, 'bin', 'voxlab.js');

/** Where the e2e run keeps its study and server facts (read by the specs). */
export interface E2eServer {
  readonly url: string;
  readonly openUrl: string;
  readonly token: string;
  readonly studyDir: string;
  readonly images: number;
}

/** A study of `n` synthetic scans of `shape` (half labeled by the cohort's labels.csv) in a new temp folder. */
export function makeStudy(n = 4, shape = '24,24,16'): { root: string; studyDir: string } {
  if (!existsSync(path.join(REPO_ROOT, 'dist', 'core', 'cli', 'cli.js')))
    throw new Error('e2e: build first (npm run build)');
  const root = mkdtempSync(path.join(os.tmpdir(), 'voxlab-e2e-'));
  const cohort = path.join(root, 'cohort');
  const studyDir = path.join(root, 'study');
  execFileSync(
    process.execPath,
    [CLI, 'synth', cohort, '--n', String(n), '--seed', '7', '--shape', shape],
    { stdio: 'pipe' },
  );
  execFileSync(
    process.execPath,
    [
      CLI,
      'import',
      path.join(cohort, 'images'),
      '--labels',
      path.join(cohort, 'labels.csv'),
      '--study',
      studyDir,
    ],
    { stdio: 'pipe' },
  );
  return { root, studyDir };
}

/** A running `voxlab serve`: its process, URL, the URL that opens the app, and its API token. */
export interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  readonly openUrl: string;
  readonly token: string;
}

/** Starts `voxlab serve --study DIR --port P --json` (P = 0: any free port) and resolves with its URL and token once it listens. */
export function startServe(studyDir: string, port = 0): Promise<Served> {
  return serve(['--study', studyDir, '--port', String(port)], process.env);
}

/**
 * Starts `voxlab serve --demo` with VOXLAB_HOME = `home` (the bundled demo study is built there on first
 * use: home/demo-study, its cohort manifest home/demo-cohort/cohort.json), on any free port.
 */
export function startServeDemo(home: string): Promise<Served> {
  // Building the demo study (120 synthetic scans) takes about a minute before the server listens.
  return serve(['--demo', '--port', '0'], { ...process.env, VOXLAB_HOME: home }, 300_000);
}

function serve(args: readonly string[], env: NodeJS.ProcessEnv, startMs = 30_000): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args, '--json'], { stdio: ['ignore', 'pipe', 'inherit'], env });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`e2e: voxlab serve did not start: ${out}`)), startMs);
    child.once('exit', (code) => reject(new Error(`e2e: voxlab serve exited with ${code}: ${out}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line === undefined) return;
      clearTimeout(timer);
      const info = JSON.parse(line) as { url: string; openUrl: string; token: string };
      resolve({ child, ...info });
    });
  });
}

/** The Electron binary, when one was downloaded (never on our CI machines). */
export function electronBinary(): string | null {
  const pathFile = path.join(REPO_ROOT, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = path.join(REPO_ROOT, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}
