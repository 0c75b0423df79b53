// The HTTP transport of the contract: calls through fetch (JSON, or bytes with their metadata in the
// X-Voxlab-Meta header), events from the server-sent event stream read with fetch (so it can carry the
// token header; EventSource cannot). Works in browsers and in Node 20 (global fetch).

import { VoxlabError, isVoxlabError } from '../common/errors.js';
import type { Transport, RawResult } from './client.js';
import type { MethodName } from './methods.js';
import { EVENTS_PATH, routeFor } from './routes.js';
import type { ApiEvent } from './types.js';

/** Header names shared with core/server. */
export const HEADERS = { token: 'x-voxlab-token', meta: 'x-voxlab-meta' } as const;

export interface HttpTransportOptions {
  /** e.g. 'http://127.0.0.1:8731'; '' for the page's own origin. */
  readonly baseUrl: string;
  /** Sent as X-Voxlab-Token; leave out in the served UI, which holds the token as a cookie. */
  readonly token?: string;
  /** Defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  /** Wait before reconnecting the event stream (ms, default 1000). */
  readonly reconnectMs?: number;
}

async function errorOf(res: Response, method: string): Promise<VoxlabError> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (body.error !== undefined) return VoxlabError.fromJSON(body.error);
  } catch {
    // not JSON: described below
  }
  return new VoxlabError(
    'INTERNAL',
    `${method}: HTTP ${res.status} ${res.statusText}: ${text.slice(0, 200)}`,
    { status: res.status },
  );
}

/** A Transport over HTTP to a `voxlab serve`. */
export function httpTransport(options: HttpTransportOptions): Transport {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const headers = (extra: Record<string, string>): Record<string, string> =>
    options.token === undefined ? extra : { ...extra, [HEADERS.token]: options.token };

  async function invoke(
    method: MethodName,
    args: Record<string, unknown>,
    data?: ArrayBuffer,
  ): Promise<RawResult> {
    const { verb, path, body } = routeFor(method, args);
    const init: RequestInit =
      data !== undefined
        ? { method: verb, headers: headers({ 'content-type': 'application/octet-stream' }), body: data }
        : body !== null
          ? {
              method: verb,
              headers: headers({ 'content-type': 'application/json' }),
              body: JSON.stringify(body),
            }
          : { method: verb, headers: headers({}) };
    let res: Response;
    try {
      res = await doFetch(`${options.baseUrl}${path}`, { ...init, credentials: 'same-origin' });
    } catch (e) {
      throw new VoxlabError(
        'IO_ERROR',
        `${method}: cannot reach the voxlab server: ${(e as Error).message}`,
        undefined,
        { cause: e },
      );
    }
    if (!res.ok) throw await errorOf(res, method);
    const meta = res.headers.get(HEADERS.meta);
    if (meta !== null)
      return { result: JSON.parse(decodeURIComponent(meta)) as unknown, data: await res.arrayBuffer() };
    return { result: (await res.json()) as unknown };
  }

  function subscribe(listener: (event: ApiEvent) => void): () => void {
    const controller = new AbortController();
    const run = async () => {
      while (!controller.signal.aborted) {
        try {
          await readEvents(
            doFetch,
            `${options.baseUrl}${EVENTS_PATH}`,
            headers({ accept: 'text/event-stream' }),
            controller.signal,
            listener,
          );
        } catch (e) {
          if (controller.signal.aborted) return;
          if (isVoxlabError(e) && e.details?.status === 401) return; // a refused token will not get better
        }
        await new Promise((r) => setTimeout(r, options.reconnectMs ?? 1000));
      }
    };
    void run();
    return () => controller.abort();
  }

  return { invoke, subscribe };
}

/** Reads one server-sent event stream until it ends, calling `listener` with each `data:` JSON event. */
async function readEvents(
  doFetch: typeof fetch,
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  listener: (event: ApiEvent) => void,
): Promise<void> {
  const res = await doFetch(url, { headers, signal, credentials: 'same-origin' });
  if (!res.ok || res.body === null) throw await errorOf(res, 'events');
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trimStart())
        .join('\n');
      if (data !== '') listener(JSON.parse(data) as ApiEvent);
    }
  }
}
