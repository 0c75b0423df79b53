// One event stream per client (createClient applies it): the HTTP transport opens a server-sent-events
// request per subscribe(), and a browser keeps at most six connections per origin over HTTP/1.1, so a few
// panels and job waits would starve ordinary calls. This wrapper subscribes once and fans events out.

import type { ApiEvent } from './types.js';
import type { Transport } from './client.js';

/** `transport` with one shared upstream subscription, opened with the first listener and closed after the last. */
export function shareEvents(transport: Transport): Transport {
  const listeners = new Set<(event: ApiEvent) => void>();
  let close: (() => void) | null = null;
  return {
    invoke: (method, args, data) => transport.invoke(method, args, data),
    subscribe(listener) {
      listeners.add(listener);
      close ??= transport.subscribe((event) => {
        for (const l of [...listeners]) l(event);
      });
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && close !== null) {
          close();
          close = null;
        }
      };
    },
  };
}
