// A misbehaving network for tests: an HTTP proxy on a loopback port in front of a server (Orthanc) whose rule
// decides per request whether to pass it, answer it itself (a 503, a 401), or pass it and drop the connection
// after some bytes of the answer. Only node: imports (usable from e2e/ as well).

import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';

/** What to do with one request. */
export type ProxyAction =
  | { readonly kind: 'pass' }
  /** Answer with this status (and body) without asking the upstream server. */
  | { readonly kind: 'status'; readonly status: number; readonly body?: string }
  /** Pass the request, send the first `afterBytes` of the answer's body, then destroy the socket (`end: false`) or end the body early as if complete (`end: true`). */
  | { readonly kind: 'drop'; readonly afterBytes: number; readonly end?: boolean };

/** The rule: sees each request (method, path with query, headers) with its 0-based number. */
export type ProxyRule = (req: IncomingMessage, index: number) => ProxyAction;

export interface TestProxy {
  /** The proxy's origin, e.g. http://127.0.0.1:40123 (paths are forwarded as they are). */
  readonly url: string;
  /** Requests seen so far: method and path. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

/** Starts a proxy to `upstream` (an origin such as http://127.0.0.1:8042) applying `rule`. */
export function startProxy(upstream: string, rule: ProxyRule): Promise<TestProxy> {
  const target = new URL(upstream);
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const action = rule(req, requests.length);
    requests.push(`${req.method} ${req.url}`);
    if (action.kind === 'status') {
      req.resume();
      res.writeHead(action.status, { 'Content-Type': 'text/plain' }).end(action.body ?? '');
      return;
    }
    forward(target, req, res, action.kind === 'drop' ? action : null);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

function forward(target: URL, req: IncomingMessage, res: ServerResponse, drop: { afterBytes: number; end?: boolean } | null): void {
  const headers = { ...req.headers, host: target.host };
  const upstream = httpRequest({ hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (up) => {
    const out = { ...up.headers };
    // The proxy re-frames the body (chunked), so the upstream's length does not apply.
    delete out['content-length'];
    delete out['transfer-encoding'];
    res.writeHead(up.statusCode ?? 502, out);
    let sent = 0;
    up.on('data', (chunk: Buffer) => {
      if (drop === null) return void res.write(chunk);
      if (sent >= drop.afterBytes) return;
      const room = drop.afterBytes - sent;
      sent += Math.min(room, chunk.length);
      if (sent < drop.afterBytes) return void res.write(chunk);
      up.destroy();
      // The cut comes after the bytes before it are flushed, so the client gets exactly `afterBytes`.
      if (drop.end === true) res.end(chunk.subarray(0, room));
      else res.write(chunk.subarray(0, room), () => res.socket?.destroy());
    });
    up.on('end', () => {
      if (drop === null || sent < drop.afterBytes) res.end();
    });
  });
  upstream.on('error', () => res.socket?.destroy());
  req.pipe(upstream);
}
