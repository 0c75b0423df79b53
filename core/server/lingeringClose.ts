// Lingering close (RFC 9112 §9.6, "Tear-down"; Apache's and nginx's lingering_close): a server that answers
// before it has read the whole request and then closes its socket at once, with the client's unread bytes
// still arriving, makes the kernel reset the connection, and the reset can reach the client before it has
// read the answer: a refused upload then shows as "write EPIPE" or "socket hang up" instead of 413.

import type { ServerResponse } from 'node:http';

/** How long a half-closed connection keeps reading (and dropping) a client's body, in ms. */
export const LINGER_MS = 2000;

/**
 * Makes the connection of `res` close in stages once its `connection: close` answer is sent: first our
 * side (FIN, so the client sees the complete answer), then, while the rest of the body is read and
 * dropped, the whole socket once the client ends its side or after `ms` ms, whichever comes first.
 * Call it before the answer is written. Node's server ends such a connection with `socket.destroySoon()`
 * (lib/_http_server.js, resOnFinish), which destroys it as soon as the answer is flushed; that call is the
 * one replaced, on this socket only. The server's sockets are half-open capable (http.Server sets
 * allowHalfOpen), so ending ours leaves theirs readable.
 */
export function lingerBeforeClose(res: ServerResponse, ms = LINGER_MS): void {
  const socket = res.socket;
  if (socket === null || socket.destroyed) return;
  socket.destroySoon = function lingeringDestroySoon(this: typeof socket): void {
    const timer = setTimeout(() => this.destroy(), ms);
    timer.unref();
    this.once('close', () => clearTimeout(timer));
    this.once('end', () => this.destroy());
    this.end();
    // The request's body still goes through the HTTP parser into the (resumed) request, which drops it;
    // a socket whose parser is gone is read here.
    this.resume();
  };
}
