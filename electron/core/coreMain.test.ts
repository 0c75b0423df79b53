// The core process entry: its command line, its parent-port adapter and its report of a failed start (the
// process itself needs Electron).

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { VoxlabError } from '../../core/common/errors.js';
import { REBUILD_COMMAND } from '../native/nativeModules.js';
import { parentEndpoint, reportStartFailure, studyArg } from './coreMain.js';

describe('coreMain', () => {
  it.each([
    [['node', 'coreMain.js', '--study', '/data/s1'], { dir: '/data/s1' }],
    [['node', 'coreMain.js', '--demo'], { demo: true }],
  ])('reads %j', (argv, want) => {
    expect(studyArg(argv)).toEqual(want);
  });

  it('refuses a command line without a study', () => {
    expect(() => studyArg(['node', 'coreMain.js', '--study'])).toThrow(VoxlabError);
  });

  it('adapts the parent port: posts messages, delivers event.data, stops listening', () => {
    const port = Object.assign(new EventEmitter(), {
      posted: [] as unknown[],
      postMessage(m: unknown) {
        this.posted.push(m);
      },
    });
    const endpoint = parentEndpoint(port as never);
    const got: unknown[] = [];
    const stop = endpoint.listen((m) => got.push(m));
    port.emit('message', { data: { type: 'call', id: 1 } });
    stop();
    port.emit('message', { data: { type: 'call', id: 2 } });
    endpoint.post({ type: 'ready' });
    expect(got).toEqual([{ type: 'call', id: 1 }]);
    expect(port.posted).toEqual([{ type: 'ready' }]);
  });

  it('reports a native module of another ABI to the main process as a fatal message in words', () => {
    const file = '/home/u/voxlab/node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    const loadError = Object.assign(
      new Error(
        `The module '${file}'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 150. Please try re-compiling or re-installing\nthe module.`,
      ),
      { code: 'ERR_DLOPEN_FAILED' },
    );
    const thrown = new VoxlabError(
      'NATIVE_MODULE',
      `The SQLite driver (better-sqlite3) could not be loaded: ${loadError.message}`,
      { module: 'better-sqlite3' },
      { cause: loadError },
    );
    const posted: unknown[] = [];
    const logged: string[] = [];
    const sent = reportStartFailure(
      { postMessage: (m: unknown) => posted.push(m) },
      thrown,
      { electron: '45.5.0', moduleVersion: 150 },
      (l) => logged.push(l),
    );
    expect(posted).toEqual([sent]);
    expect(sent.type).toBe('fatal');
    expect(sent.error.message).toContain(
      'better-sqlite3 cannot load in Electron 45.5.0: it was built for NODE_MODULE_VERSION 115',
    );
    expect(sent.error.message).toContain(REBUILD_COMMAND);
    expect(logged.join('')).toContain('voxlab core: better-sqlite3 cannot load');
  });
});
