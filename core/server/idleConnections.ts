// Closes HTTP connections on which the client has gone quiet (issue #15 item 3): nothing sent since it
// connected, a body that stopped arriving, a kept-alive connection with no next request. It never cuts a
// request that arrived whole: its handler may compute for minutes, and the event stream lives for hours.

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** The answer to a connection that sent nothing (or only part of its headers) in time: Node's own 408. */
const RAW_408 = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/**
 * Watches every connection of `server` for `idleMs` of socket inactivity (nothing read or written; ms > 0):
 * - no request yet on it (nothing, or part of the headers, arrived): answers a bare 408 and closes it;
 * - between requests (keep-alive, also bounded by the server's keepAliveTimeout): closes it;
 * - in the middle of a request body: `refuse(res)` answers (a 408 that closes the connection) when no
 *   answer has started, else the connection is destroyed; either way the request is destroyed, so its
 *   reader (an upload streaming to a file) fails and cleans up;
 * - a request received whole (its handler working, or a long answer such as the event stream): left alone.
 * Call it once, before the server accepts connections.
 */
export function closeIdleConnections(
  server: Server,
  idleMs: number,
  refuse: (res: ServerResponse) => void,
): void {
  if (!(idleMs > 0)) throw new RangeError(`closeIdleConnections: idleMs must be > 0, got ${idleMs}`);
  const inFlight = new WeakMap<Socket, { req: IncomingMessage; res: ServerResponse }>();
  const served = new WeakSet<Socket>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    inFlight.set(socket, { req, res });
    served.add(socket);
    const done = () => {
      if (inFlight.get(socket)?.res === res) inFlight.delete(socket);
    };
    res.once('finish', done);
    res.once('close', done);
  });
  server.setTimeout(idleMs);
  // With a 'timeout' listener Node leaves the socket to us (it destroys it only when nobody listens).
  server.on('timeout', (socket: Socket) => {
    const current = inFlight.get(socket);
    if (current === undefined) {
      if (served.has(socket)) socket.destroy();
      else socket.end(RAW_408, () => socket.destroy());
      return;
    }
    if (current.req.complete) return;
    const { req, res } = current;
    const stalled = new Error(`nothing arrived for ${idleMs} ms`);
    if (res.headersSent) {
      req.destroy(stalled);
      socket.destroy();
      return;
    }
    // Once the answer is out, Node detaches the request from the connection: end it ourselves, or its reader
    // (an upload streaming to a file) would wait for the rest of the body forever.
    res.once('finish', () => req.destroy(stalled));
    refuse(res);
  });
}
