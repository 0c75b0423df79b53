// The connection light follows the calls: unreachable -> offline, back -> online (counted as a reconnect),
// a refused token -> refused; refusals by the core itself do not count as a lost connection. The heartbeat
// beats fast while the server is away.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Transport } from '../../core/api/index.js';
import { VoxlabError } from '../../core/common/errors.js';
import { useConnectionStore } from '../stores/useConnectionStore.js';
import { HEARTBEAT_MS, startHeartbeat, watchedTransport } from './connection.js';
import { isUnreachable } from './unreachable.js';

const down = () => new VoxlabError('IO_ERROR', 'server.info: cannot reach the voxlab server: fetch failed');

function fake(outcomes: (Error | null)[]): Transport {
  return {
    invoke: async () => {
      const e = outcomes.shift() ?? null;
      if (e !== null) throw e;
      return { result: { ok: true } };
    },
    subscribe: () => () => undefined,
  };
}

describe('watchedTransport', () => {
  beforeEach(() => useConnectionStore.getState().reset());

  it('goes offline when a call cannot reach the server, and online again with a reconnect', async () => {
    const t = watchedTransport(fake([down(), down(), null]));
    await expect(t.invoke('server.info', {})).rejects.toThrow(/cannot reach/);
    expect(useConnectionStore.getState().state).toBe('offline');
    await expect(t.invoke('server.info', {})).rejects.toThrow();
    await t.invoke('server.info', {});
    expect(useConnectionStore.getState()).toMatchObject({ state: 'online', reconnects: 1 });
  });

  it('a refusal by the core is not a lost connection; a 401 is "refused"', async () => {
    const t = watchedTransport(
      fake([new VoxlabError('LABEL_CONFLICT', 'stale'), new VoxlabError('BAD_ARGUMENT', 'token', { status: 401 })]),
    );
    await expect(t.invoke('labels.set', {})).rejects.toThrow();
    expect(useConnectionStore.getState().state).toBe('online');
    await expect(t.invoke('server.info', {})).rejects.toThrow();
    expect(useConnectionStore.getState().state).toBe('refused');
  });
});

describe('isUnreachable', () => {
  it.each([
    [down(), true],
    [new VoxlabError('INTERNAL', 'The voxlab core process stopped (exit code 1); reopen the study'), true],
    [new VoxlabError('INTERNAL', 'x: HTTP 502 Bad Gateway', { status: 502 }), true],
    [new VoxlabError('IO_ERROR', 'disk full'), false],
    [new VoxlabError('LABEL_CONFLICT', 'stale'), false],
    [new Error('cannot reach'), false],
    ['text', false],
  ] as const)('%s -> %s', (e, want) => {
    expect(isUnreachable(e)).toBe(want);
  });
});

describe('startHeartbeat', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    useConnectionStore.getState().reset();
  });
  afterEach(() => vi.useRealTimers());

  it('pings slowly while online and fast once a call failed, until the server answers', async () => {
    let up = true;
    const t = watchedTransport({
      invoke: async () => {
        if (!up) throw down();
        return { result: null };
      },
      subscribe: () => () => undefined,
    });
    const ping = vi.fn(() => t.invoke('server.info', {}));
    const stop = startHeartbeat(ping);
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS.online - 1);
    expect(ping).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(ping).toHaveBeenCalledTimes(1);
    up = false;
    await t.invoke('server.info', {}).catch(() => undefined); // any call finding the server gone
    expect(useConnectionStore.getState().state).toBe('offline');
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS.offline * 3);
    expect(ping.mock.calls.length).toBeGreaterThanOrEqual(3);
    up = true;
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS.offline);
    expect(useConnectionStore.getState()).toMatchObject({ state: 'online', reconnects: 1 });
    stop();
    const calls = ping.mock.calls.length;
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS.online * 3);
    expect(ping.mock.calls.length).toBe(calls);
  });
});
