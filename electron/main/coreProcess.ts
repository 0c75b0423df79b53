// Starts the core in an Electron utility process (a separate Node process: training there never freezes
// the window) and links it to the IPC glue through the RPC protocol of core/api. A core that cannot start
// says why in a `fatal` message; every call then answers with that reason (issue #17).

import type { UtilityProcess } from 'electron';
import { RpcClient, type ApiEvent, type Envelope } from '../../core/api/index.js';
import type { VoxlabErrorJson } from '../../core/common/errors.js';
import { isFatalMessage } from '../native/startFailure.js';
import type { CoreLink } from './ipc.js';

/** What starting a utility process needs (electron's utilityProcess.fork). */
export type Fork = (
  modulePath: string,
  args: string[],
  options: { serviceName: string; stdio: 'inherit'; env: NodeJS.ProcessEnv },
) => UtilityProcess;

/** The running core: calls wait for it to be ready; if it dies, waiting calls fail with its reason. */
export class CoreProcess implements CoreLink {
  private readonly child: UtilityProcess;
  private readonly rpc: RpcClient;
  private readonly ready: Promise<void>;
  private exited = false;
  /** Why the core could not start, as it said in its fatal message; null while it has not said so. */
  private failure: VoxlabErrorJson | null = null;

  /**
   * Forks `entry` on `study` with `env` (coreProcessEnv: which better-sqlite3 build to load). `onFatal` hears
   * a start failure once, in the core's words (main shows it in a dialog); the child is then stopped.
   */
  constructor(
    fork: Fork,
    entry: string,
    study: { dir: string } | { demo: true },
    env: NodeJS.ProcessEnv = process.env,
    onFatal: (error: VoxlabErrorJson) => void = () => {},
  ) {
    this.child = fork(entry, 'dir' in study ? ['--study', study.dir] : ['--demo'], {
      serviceName: 'voxlab core',
      stdio: 'inherit',
      env,
    });
    this.rpc = new RpcClient({
      post: (m) => this.child.postMessage(m),
      listen: (listener) => {
        this.child.on('message', listener);
        return () => this.child.off('message', listener);
      },
    });
    this.ready = new Promise<void>((resolve) => {
      const once = (m: unknown) => {
        if ((m as { type?: string })?.type === 'ready') {
          this.child.off('message', once);
          resolve();
        }
      };
      this.child.on('message', once);
    });
    this.child.on('message', (m: unknown) => {
      if (!isFatalMessage(m) || this.failure !== null) return;
      this.failure = m.error;
      onFatal(m.error);
      this.child.kill();
    });
    this.child.once('exit', (code) => {
      this.exited = true;
      this.rpc.close({
        code: this.failure?.code ?? 'INTERNAL',
        message:
          this.failure?.message ?? `The voxlab core process stopped (exit code ${code}); reopen the study`,
      });
    });
  }

  async call(method: string, args: unknown, data?: ArrayBuffer): Promise<Envelope> {
    if (this.failure !== null) return { ok: false, error: this.failure };
    if (this.exited)
      return {
        ok: false,
        error: {
          name: 'VoxlabError',
          code: 'INTERNAL',
          message: 'The voxlab core process is not running; reopen the study',
        },
      };
    await Promise.race([this.ready, new Promise((r) => this.child.once('exit', r))]);
    if (this.failure !== null) return { ok: false, error: this.failure };
    if (this.exited)
      return {
        ok: false,
        error: {
          name: 'VoxlabError',
          code: 'INTERNAL',
          message: 'The voxlab core process stopped before it was ready; reopen the study',
        },
      };
    return this.rpc.call(method, args, data);
  }

  onEvent(listener: (e: ApiEvent) => void): () => void {
    return this.rpc.onEvent(listener);
  }

  stop(): void {
    if (!this.exited) this.child.kill();
  }
}
