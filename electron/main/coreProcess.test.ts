// The main process's end of the core: a core that could not start answers every call with its own reason
// (never only "stopped"), tells main once, and is stopped; the environment given reaches the fork.

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { VoxlabErrorJson } from '../../core/common/errors.js';
import { CoreProcess, type Fork } from './coreProcess.js';

/** A stand-in utility process: messages are emitted by the test; kill() exits it like Electron does. */
class FakeChild extends EventEmitter {
  readonly posted: unknown[] = [];
  killed = 0;
  postMessage(m: unknown): void {
    this.posted.push(m);
  }
  kill(): boolean {
    this.killed++;
    setImmediate(() => this.emit('exit', null));
    return true;
  }
}

function start(env: NodeJS.ProcessEnv = { A: '1' }) {
  const child = new FakeChild();
  const forks: Parameters<Fork>[] = [];
  const fatal: VoxlabErrorJson[] = [];
  const fork: Fork = (...args) => {
    forks.push(args);
    return child as never;
  };
  const core = new CoreProcess(fork, '/dist/electron/core/coreMain.js', { demo: true }, env, (e) =>
    fatal.push(e),
  );
  return { child, forks, fatal, core };
}

const reason: VoxlabErrorJson = {
  name: 'VoxlabError',
  code: 'NATIVE_MODULE',
  message:
    'better-sqlite3 cannot load in Electron 45.5.0: it was built for NODE_MODULE_VERSION 115, and Electron 45.5.0 needs NODE_MODULE_VERSION 150',
};

describe('CoreProcess', () => {
  it('forks the entry with the environment it was given', () => {
    const { forks } = start({ VOXLAB_SQLITE_BINDING: '/e/better_sqlite3.node' });
    expect(forks).toEqual([
      [
        '/dist/electron/core/coreMain.js',
        ['--demo'],
        {
          serviceName: 'voxlab core',
          stdio: 'inherit',
          env: { VOXLAB_SQLITE_BINDING: '/e/better_sqlite3.node' },
        },
      ],
    ]);
  });

  it("answers a call waiting for a core that failed to start with the core's reason", async () => {
    const { child, core, fatal } = start();
    const waiting = core.call('datastore.list', {});
    child.emit('message', { type: 'fatal', error: reason });
    expect(await waiting).toEqual({ ok: false, error: reason });
    expect(await core.call('server.info', {})).toEqual({ ok: false, error: reason });
    expect(fatal).toEqual([reason]);
    expect(child.killed).toBe(1);
    expect(child.posted).toEqual([]); // nothing was sent to a core that never became ready
  });

  it('says only that it stopped when a core exits without a reason', async () => {
    const { child, core, fatal } = start();
    const waiting = core.call('datastore.list', {});
    child.emit('exit', 1);
    expect(await waiting).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', message: expect.stringMatching(/stopped before it was ready/) },
    });
    expect(fatal).toEqual([]);
  });

  it('relays calls once the core is ready', async () => {
    const { child, core } = start();
    child.emit('message', { type: 'ready' });
    const answer = core.call('server.info', { a: 1 });
    await new Promise((r) => setImmediate(r));
    expect(child.posted).toEqual([{ type: 'call', id: 1, method: 'server.info', args: { a: 1 } }]);
    child.emit('message', { type: 'reply', id: 1, envelope: { ok: true, result: 42 } });
    expect(await answer).toEqual({ ok: true, result: 42 });
  });
});
