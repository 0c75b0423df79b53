// The crash soak's server processes: `voxlab serve` children (soakServe.ts) started ahead of their turn with
// their modules loaded, let go on the study when their turn comes, and killed with SIGKILL.

import { spawn } from 'node:child_process';
import { VoxlabError } from '../../common/errors.js';

/** How long a server may take to load its modules, and to print its address once let go. */
const LOAD_MS = 120_000;
const LISTEN_MS = 60_000;

/** Where a let-go server answers. */
export interface ServerAddress {
  readonly url: string;
  readonly token: string;
  readonly pid: number;
}

/** A server process waiting for its turn. */
export interface SoakServer {
  readonly pid: number;
  /** Resolves once the modules are loaded (rejects when the process died first). */
  readonly loaded: Promise<void>;
  /**
   * Lets it open the study and serve; resolves with its address once it listens. Rejects when it exits
   * first or takes longer than LISTEN_MS (a kill that comes first is the caller's: see `kill`).
   */
  go(): Promise<ServerAddress>;
  /** SIGKILLs it (whatever it is doing) and resolves with the signal that ended it once it is gone. */
  kill(): Promise<NodeJS.Signals | null>;
  /** What it wrote on stderr so far. */
  stderr(): string;
}

/** Starts `node <entry> <studyDir>` (entry: a compiled soakServe.js) and loads its modules; see SoakServer. */
export function startSoakServer(entry: string, studyDir: string): SoakServer {
  const proc = spawn(process.execPath, [entry, studyDir], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let onOutput = (): void => {};
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    onOutput();
  });
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  proc.stdin.on('error', () => {}); // a write to a process killed meanwhile: its exit is what counts
  const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.once('exit', (_code, signal) => resolve(signal)));
  const died = (what: string) => new VoxlabError('IO_ERROR', `voxlab serve (pid ${proc.pid}) ${what}; stderr: ${err.slice(-2000)}`);
  const loaded = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(died(`did not load in ${LOAD_MS} ms`)), LOAD_MS);
    onOutput = () => {
      if (!out.startsWith('loaded\n')) return;
      clearTimeout(timer);
      resolve();
    };
    void exited.then(() => {
      clearTimeout(timer);
      reject(died('exited while loading'));
    });
  });
  loaded.catch(() => {}); // observed by whoever awaits it; a process killed early must not be an unhandled rejection
  return {
    pid: proc.pid!,
    loaded,
    stderr: () => err,
    go: () =>
      new Promise<ServerAddress>((resolve, reject) => {
        const timer = setTimeout(() => reject(died(`printed no address in ${LISTEN_MS} ms`)), LISTEN_MS);
        onOutput = () => {
          const line = out.split('\n').slice(1, -1).find((l) => l.startsWith('{'));
          if (line === undefined) return;
          clearTimeout(timer);
          const { url, token } = JSON.parse(line) as { url: string; token: string };
          resolve({ url, token, pid: proc.pid! });
        };
        void exited.then((signal) => {
          clearTimeout(timer);
          reject(died(`ended (${signal ?? 'exit'}) before it listened`));
        });
        proc.stdin.write('go\n');
        onOutput();
      }),
    kill: async () => {
      proc.kill('SIGKILL');
      return exited;
    },
  };
}
