// The core process entry: its command line and its parent-port adapter (the process itself needs Electron).

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { VoxlabError } from '../../core/common/errors.js';
import { parentEndpoint, studyArg } from './coreMain.js';

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
});
