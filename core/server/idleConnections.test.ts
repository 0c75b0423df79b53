// The idle timeout of `voxlab serve` (issue #15 item 3), with 300 ms instead of 60 s: a client that sends
// nothing, or stops in the middle of a body, is answered 408 and cut off (no upload file left); a slow but
// steady upload, a long-computing call and the event stream are not.

import { existsSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_PATH, createClient, httpTransport } from '../api/index.js';
import { startHttpServer, type RunningServer } from './httpServer.js';
import type { Service } from './service/index.js';
import { TOKEN, testCore, type TestCore } from './testing/fixtures.js';
import { UPLOAD_TEMP_DIR } from './uploadFile.js';

const IDLE_MS = 300;
/** How long server.info computes in this test: several idle periods. */
const SLOW_MS = 4 * IDLE_MS;

let core: TestCore;
let server: RunningServer;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  core = await testCore();
  const inner = core.service.handlers;
  const service: Service = {
    ...core.service,
    handlers: {
      ...inner,
      'server.info': async (args, upload, caller) => {
        await sleep(SLOW_MS);
        return inner['server.info'](args, upload, caller);
      },
    },
  };
  server = await startHttpServer(service, { token: TOKEN, rendererDir: null, timeouts: { idleMs: IDLE_MS } });
});
afterAll(async () => {
  await server.close();
  await core.close();
});

/**
 * Opens a raw connection, writes `parts` (strings, `pause` ms apart), and resolves once the server closes
 * it (or after `maxMs`): what came back, and when the server closed it (ms after connecting; null: open).
 */
function rawConnection(
  parts: readonly string[],
  pause = 0,
  maxMs = 5000,
): Promise<{ text: string; closedAfter: number | null }> {
  return new Promise((resolve) => {
    const start = Date.now();
    const socket = connect(server.port, server.host);
    let text = '';
    let closedAfter: number | null = null;
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('error', () => undefined); // a reset after the answer is part of what is tested: the close time
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closedAfter });
    }, maxMs);
    socket.on('close', () => {
      closedAfter = Date.now() - start;
      clearTimeout(timer);
      resolve({ text, closedAfter });
    });
    socket.on('connect', async () => {
      for (const part of parts) {
        if (socket.destroyed) return;
        socket.write(part);
        if (pause > 0) await sleep(pause);
      }
    });
  });
}

const head = (method: string, target: string, extra = '') =>
  `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Voxlab-Token: ${TOKEN}\r\n${extra}\r\n`;
const tempFiles = () => {
  const dir = path.join(core.dir, UPLOAD_TEMP_DIR);
  return existsSync(dir) ? readdirSync(dir) : [];
};

describe('idle connections', () => {
  it('a connection that sends nothing is answered 408 and closed after about idleMs', async () => {
    const out = await rawConnection([]);
    expect(out.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(out.closedAfter).not.toBeNull();
    expect(out.closedAfter!).toBeGreaterThanOrEqual(IDLE_MS - 50);
    expect(out.closedAfter!).toBeLessThan(IDLE_MS + 2000);
  });

  it('a body that stops arriving gets a 408 in JSON, the connection closes, no upload file is left', async () => {
    const request = head(
      'PUT',
      '/api/dicom/uploads/up-stall?name=IM1',
      'Content-Type: application/octet-stream\r\nContent-Length: 100000\r\n',
    );
    const out = await rawConnection([request, 'x'.repeat(5000)]);
    expect(out.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(out.text).toMatch(/connection: close/i);
    expect(out.text).toContain('"code":"BAD_ARGUMENT"');
    expect(out.closedAfter).not.toBeNull();
    expect(out.closedAfter!).toBeLessThan(IDLE_MS + 2000);
    await sleep(100);
    expect(tempFiles()).toEqual([]);
  });

  it('a slow but steady upload (a chunk every idleMs / 3) is not cut off', async () => {
    const chunks = Array.from({ length: 12 }, () => 'y'.repeat(100));
    const request = head(
      'PUT',
      '/api/dicom/uploads/up-slow?name=IM1',
      'Content-Type: application/octet-stream\r\nContent-Length: 1200\r\nConnection: close\r\n',
    );
    const out = await rawConnection([request, ...chunks], IDLE_MS / 3);
    expect(out.text).toMatch(/^HTTP\/1\.1 200 /);
    expect(out.text).toContain('"bytes":1200');
  });

  it('a call whose handler computes for several idle periods still gets its answer', async () => {
    const api = createClient(httpTransport({ baseUrl: server.url, token: TOKEN }));
    const started = Date.now();
    expect((await api.server.info({})).name).toBe('voxlab');
    expect(Date.now() - started).toBeGreaterThanOrEqual(SLOW_MS - 50);
  });

  it('the event stream outlives several idle periods and still delivers events', async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.url}${EVENTS_PATH}`, {
      headers: { 'x-voxlab-token': TOKEN },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await sleep(4 * IDLE_MS);
    core.service.context.events.publish({ type: 'datastore.changed' } as never);
    let text = '';
    const decoder = new TextDecoder();
    while (!text.includes('datastore.changed')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    controller.abort();
    expect(text).toContain('"type":"datastore.changed"');
  });

  it('a kept-alive connection with no next request is closed (keepAliveTimeout follows idleMs)', async () => {
    const out = await rawConnection([head('GET', '/api/jobs')]);
    expect(out.text).toMatch(/^HTTP\/1\.1 200 /);
    expect(out.text).not.toMatch(/HTTP\/1\.1 408/);
    expect(out.closedAfter).not.toBeNull();
    // Node adds 1 s to keepAliveTimeout before it closes (against races with the client's reuse).
    expect(out.closedAfter!).toBeLessThan(IDLE_MS + 3000);
  });
});
