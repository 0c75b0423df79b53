// A client that opens the event stream and stops reading must not make the server hold every later event:
// past EVENT_BACKLOG_BYTES unsent the stream is closed (issue #15; the load campaign saw 270 MB held).

import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EVENTS_PATH, HEADERS } from '../api/index.js';
import { EVENT_BACKLOG_BYTES } from './httpServer.js';
import { TOKEN, testServer } from './testing/fixtures.js';

let t: Awaited<ReturnType<typeof testServer>>;
beforeAll(async () => {
  t = await testServer();
});
afterAll(() => t.close());

/** Opens the event stream on a raw socket and waits for the response head; the socket is then paused. */
async function pausedStream(): Promise<Socket> {
  const socket = connect(t.server.port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(
    `GET ${EVENTS_PATH} HTTP/1.1\r\nHost: 127.0.0.1:${t.server.port}\r\n${HEADERS.token}: ${TOKEN}\r\n\r\n`,
  );
  await new Promise<void>((resolve) =>
    socket.once('data', (chunk: Buffer) => {
      expect(chunk.toString('latin1')).toMatch(/^HTTP\/1\.1 200/);
      resolve();
    }),
  );
  socket.pause();
  return socket;
}

it('closes the event stream of a client that stopped reading, once its backlog passes the limit', async () => {
  const socket = await pausedStream();
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const hub = t.service.context.events;
  const before = hub.size;
  expect(before).toBeGreaterThan(0);
  // Kernel buffers on loopback hold some MB; send well past them plus the limit: 1 KB events, 40 MB.
  const imageId = 'x'.repeat(1000);
  const count = Math.ceil((40 * 2 ** 20) / 1024);
  for (let k = 0; k < count; k++) hub.publish({ type: 'datastore.changed', imageId });
  socket.resume();
  // Unfixed, the client reads all 40 MB and the stream stays open.
  const stillOpen = new Promise<void>((_, reject) =>
    setTimeout(() => reject(new Error('the event stream is still open')), 10_000).unref(),
  );
  await Promise.race([closed, stillOpen]);
  await new Promise((r) => setTimeout(r, 50));
  expect(hub.size).toBe(before - 1);
  expect(EVENT_BACKLOG_BYTES).toBeLessThan(40 * 2 ** 20);
}, 30_000);

it('keeps the stream of a client that reads', async () => {
  const socket = connect(t.server.port, '127.0.0.1');
  let received = 0;
  socket.on('data', (chunk: Buffer) => (received += chunk.length));
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(
    `GET ${EVENTS_PATH} HTTP/1.1\r\nHost: 127.0.0.1:${t.server.port}\r\n${HEADERS.token}: ${TOKEN}\r\n\r\n`,
  );
  await new Promise((r) => setTimeout(r, 200));
  const hub = t.service.context.events;
  const before = hub.size;
  const imageId = 'y'.repeat(1000);
  // 1 MB at a time, with a pause to let it drain: never past the limit.
  for (let round = 0; round < 8; round++) {
    for (let k = 0; k < 1024; k++) hub.publish({ type: 'datastore.changed', imageId });
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(hub.size).toBe(before);
  expect(received).toBeGreaterThan(8 * 2 ** 20);
  socket.destroy();
}, 30_000);
