// A refused upload's answer must reach a client that is still sending its body (CI saw a 413 arrive as
// "write EPIPE"): the server half-closes and keeps reading for a while instead of closing a socket with unread
// data, which resets the connection and can drop the answer (RFC 9112 §9.6, "Tear-down").

import { connect, type Socket } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lingerBeforeClose } from './lingeringClose.js';
import { TOKEN, testServer } from './testing/fixtures.js';

type Served = Awaited<ReturnType<typeof testServer>>;
let served: Served;

beforeAll(async () => {
  served = await testServer();
});
afterAll(async () => {
  await served.close();
});

const CHUNK = Buffer.alloc(256 << 10, 0x5a);

interface Outcome {
  /** The answer's head and body as received. */
  readonly answer: string;
  /** Bytes of body written after the whole answer had arrived, before the end or an error. */
  readonly sentAfter: number;
  /** The client-side error, if the connection was reset. */
  readonly error?: string;
  /** Whether the server closed the connection once the client had finished. */
  readonly closedByServer: boolean;
}

/**
 * Sends `head`, then body chunks until the answer (ending in `marker`) has arrived, then `after` more bytes
 * (as a client that has not yet looked at the answer would), then ends its side.
 */
function sendPastAnswer(port: number, head: string, marker: string, after: number): Promise<Outcome> {
  return new Promise((resolve) => {
    // Half-open: a client that goes on sending after the server's FIN, as an HTTP client busy with its body does.
    const socket: Socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let answer = '';
    let sentAfter = 0;
    let error: string | undefined;
    let answered = false;
    let ended = false;
    socket.on('data', (d: Buffer) => {
      answer += d.toString('latin1');
      if (answer.includes(marker)) answered = true;
    });
    socket.on('error', (e) => (error = e.message));
    socket.on('end', () => (ended = true));
    socket.on('close', () => resolve({ answer, sentAfter, error, closedByServer: ended }));
    socket.write(head);
    const pump = async (): Promise<void> => {
      for (let i = 0; !socket.destroyed && (!answered || sentAfter < after); i++) {
        if (answered) sentAfter += CHUNK.length;
        const more = socket.write(CHUNK);
        if (!more) await new Promise<void>((r) => socket.once('drain', r).once('close', r));
        // Give the answer a chance to arrive before the next chunk once the server has stopped reading.
        if (!answered && i % 8 === 7) await new Promise((r) => setTimeout(r, 5));
      }
      if (!socket.destroyed) socket.end();
    };
    void pump();
  });
}

describe('lingering close after a refused upload', () => {
  it('voxlab serve: a body announced over the limit gets 413 and the client can finish writing without a reset', async () => {
    const port = Number(new URL(served.server.url).port);
    const head =
      `PUT /api/dicom/uploads/up-linger?name=IM0001 HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n` +
      `x-voxlab-token: ${TOKEN}\r\ncontent-type: application/octet-stream\r\ncontent-length: ${2 ** 31}\r\n\r\n`;
    const out = await sendPastAnswer(port, head, 'TOO_LARGE', 8 << 20);
    expect(out.answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(out.answer).toMatch(/connection: close/i);
    expect(out.error).toBeUndefined();
    expect(out.sentAfter).toBeGreaterThanOrEqual(8 << 20);
    expect(out.closedByServer).toBe(true);
    expect(
      (await fetch(`${served.server.url}/api/info`, { headers: { 'x-voxlab-token': TOKEN } })).status,
    ).toBe(200);
  });

  it('a client that never stops sending is cut off after the linger time', async () => {
    const server: Server = createServer((req, res) => {
      lingerBeforeClose(res, 300);
      res.writeHead(413, { connection: 'close' }).end('TOO_LARGE');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const head = `PUT / HTTP/1.1\r\nhost: x\r\ncontent-length: ${2 ** 40}\r\n\r\n`;
      const started = Date.now();
      const out = await sendPastAnswer(port, head, 'TOO_LARGE', 2 ** 40);
      expect(out.answer).toMatch(/^HTTP\/1\.1 413 /);
      expect(out.error).toMatch(/ECONNRESET|EPIPE/);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
