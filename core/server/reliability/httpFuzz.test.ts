// The HTTP fuzzer's short run (issue #15, item 3): ~1500 seeded hostile requests over every route answer
// 4xx (or 2xx), never 5xx nor a dropped connection, and nothing outside the study changes. Also what the
// server does with an oversized header and a client that never finishes its body.

import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../api/index.js';
import { TOKEN, testServer } from '../testing/fixtures.js';
import { startHttpServer } from '../httpServer.js';
import { hostileCases } from './hostileCases.js';
import { httpFuzzBench, send } from './httpFuzz.js';

/** Writes `text` on a raw socket and resolves what came back before the server closed it (or `waitMs`). */
function raw(port: number, text: string, waitMs: number): Promise<{ answer: string; closedAfterMs: number | null }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ answer, closedAfterMs: null });
    }, waitMs);
    socket.on('data', (d) => (answer += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ answer, closedAfterMs: Date.now() - started });
    });
    socket.write(text);
  });
}

describe('HTTP fuzzing over the method table', () => {
  it('covers every method with seeded cases', () => {
    const cases = hostileCases(1, 1500);
    for (const m of METHOD_NAMES) expect(cases.some((c) => c.name.startsWith(`${m}/`)), m).toBe(true);
    const key = (seed: number) => hostileCases(seed, 300).map((c) => `${c.name} ${c.path} ${c.body?.length ?? -1}`);
    expect(key(1)).toEqual(key(1));
    expect(key(2)).not.toEqual(key(1));
  });

  it('answers 1500 hostile requests with no 5xx, no dropped connection, nothing touched outside the study', async () => {
    const report = await httpFuzzBench({ count: 1500, seed: 15 });
    expect(report.failures).toEqual([]);
    expect(report.crashes).toBe(0);
    expect(report.http_5xx).toBe(0);
    expect(report.outside_changes).toEqual([]);
    expect(report.http_4xx).toBeGreaterThan(1000);
    expect(report.http_2xx + report.http_3xx + report.http_4xx).toBe(1500);
  }, 60_000);

  it("refuses a '__proto__' field instead of reading arguments from it", async () => {
    const s = await testServer();
    try {
      const headers = { 'content-type': 'application/json' };
      const body = Buffer.from('{"__proto__":{"name":"zz","author":"a"}}');
      const out = await send(s.server.url, TOKEN, { name: 'proto', verb: 'POST', path: '/api/classes', headers, body, auth: true });
      expect(out.status).toBe(400);
      const query = await send(s.server.url, TOKEN, { name: 'proto', verb: 'GET', path: '/api/datastore?__proto__=x', headers: {}, auth: true });
      expect(query.status).toBe(400);
    } finally {
      await s.close();
    }
  });

  it('refuses an oversized header with 431 and keeps serving', async () => {
    const s = await testServer();
    try {
      const out = await raw(s.server.port, `GET /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 5000);
      expect(out.answer).toMatch(/^HTTP\/1\.1 431/);
      const ok = await send(s.server.url, TOKEN, { name: 'info', verb: 'GET', path: '/api/info', headers: {}, auth: true });
      expect(ok.status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('drops a client that never finishes its headers or its body, after the set timeouts', async () => {
    const s = await testServer();
    const server = await startHttpServer(s.service, {
      token: TOKEN,
      rendererDir: null,
      timeouts: { headersMs: 300, requestMs: 600, checkEveryMs: 100 },
    });
    try {
      const headers = await raw(server.port, 'GET /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\n', 5000);
      expect(headers.closedAfterMs).not.toBeNull();
      expect(headers.closedAfterMs!).toBeLessThan(3000);
      const body = await raw(
        server.port,
        `PUT /api/reading HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Voxlab-Token: ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"blin`,
        5000,
      );
      expect(body.closedAfterMs).not.toBeNull();
      expect(body.closedAfterMs!).toBeLessThan(3000);
      expect(body.answer).toMatch(/^(HTTP\/1\.1 408|)/);
    } finally {
      await server.close();
      await s.close();
    }
  });
});
