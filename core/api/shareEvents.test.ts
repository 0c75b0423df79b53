// The shared event stream: one upstream subscription whatever the number of listeners, closed after the last.

import { describe, expect, it } from 'vitest';
import type { ApiEvent, Transport } from './index.js';
import { shareEvents } from './shareEvents.js';

function fakeTransport() {
  const upstream = new Set<(e: ApiEvent) => void>();
  let opened = 0;
  const transport: Transport = {
    invoke: async () => ({ result: 'ok' }),
    subscribe(listener) {
      opened++;
      upstream.add(listener);
      return () => upstream.delete(listener);
    },
  };
  return { transport, upstream, opened: () => opened };
}

describe('shareEvents', () => {
  it('opens one upstream stream for many listeners and fans events out', () => {
    const fake = fakeTransport();
    const shared = shareEvents(fake.transport);
    const seen: string[] = [];
    const offA = shared.subscribe((e) => seen.push(`a:${e.type}`));
    const offB = shared.subscribe((e) => seen.push(`b:${e.type}`));
    expect(fake.opened()).toBe(1);
    for (const l of fake.upstream) l({ type: 'datastore.changed', imageId: 'x' });
    expect(seen).toEqual(['a:datastore.changed', 'b:datastore.changed']);
    offA();
    expect(fake.upstream.size).toBe(1);
    offB();
    expect(fake.upstream.size).toBe(0);
    shared.subscribe(() => undefined);
    expect(fake.opened()).toBe(2);
  });

  it('passes calls through', async () => {
    const shared = shareEvents(fakeTransport().transport);
    await expect(shared.invoke('server.info', {})).resolves.toEqual({ result: 'ok' });
  });
});
